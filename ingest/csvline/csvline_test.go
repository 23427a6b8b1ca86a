package csvline

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/entente/entente"
)

func TestReader(t *testing.T) {
	in := "\uFEFF\"a\",\"b\",c\r\n\n1,\"x \"\"q\"\" y\",\n2,\"open\n3,a\"b\n4,\"x\"y\n\xff,1\n5,6"
	r := NewReader(strings.NewReader(in), "f.csv")
	type want struct {
		line   int
		fields string
		col    int
		err    error
	}
	wants := []want{
		{1, "a|b|c", 0, nil},
		{3, `1|x "q" y|`, 0, nil},
		{4, "", 3, entente.ErrQuote},
		{5, "", 4, entente.ErrQuote},
		{6, "", 6, entente.ErrQuote},
		{7, "", 1, entente.ErrNotUTF8},
		{8, "5|6", 0, nil},
	}
	for _, w := range wants {
		raw, ok, lineErr, col, err := r.Next()
		if err != nil || !ok {
			t.Fatalf("line %d: ok %v err %v", w.line, ok, err)
		}
		if r.Line() != w.line {
			t.Fatalf("line %d, want %d", r.Line(), w.line)
		}
		if lineErr != nil {
			if !errors.Is(lineErr, w.err) || col != w.col {
				t.Errorf("line %d: %v at %d, want %v at %d", w.line, lineErr, col, w.err, w.col)
			}
			continue
		}
		fields, col, err := r.Split(raw)
		if w.err != nil {
			if !errors.Is(err, w.err) || col != w.col {
				t.Errorf("line %d: split error %v at %d, want %v at %d", w.line, err, col, w.err, w.col)
			}
			continue
		}
		var got []string
		for _, f := range fields {
			got = append(got, string(f))
		}
		if strings.Join(got, "|") != w.fields || err != nil {
			t.Errorf("line %d: %q (%v), want %q", w.line, got, err, w.fields)
		}
	}
	if !r.NoNewline() {
		t.Error("the last line has no newline, NoNewline is false")
	}
	if _, ok, _, _, err := r.Next(); ok || err != nil {
		t.Errorf("after the end: ok %v err %v", ok, err)
	}
	if _, _, err := r.Split([]byte(strings.Repeat(",", MaxFields+1))); !errors.Is(err, entente.ErrFieldCount) {
		t.Errorf("too many fields: %v", err)
	}
	long := NewReader(strings.NewReader(strings.Repeat("x", MaxLineBytes+10)+"\nok\n"), "f")
	if _, _, lineErr, _, _ := long.Next(); !errors.Is(lineErr, entente.ErrLineTooLong) {
		t.Errorf("long line: %v", lineErr)
	}
	if raw, ok, lineErr, _, _ := long.Next(); !ok || lineErr != nil || string(raw) != "ok" {
		t.Errorf("after a long line: %q %v %v", raw, ok, lineErr)
	}
}

func TestHeaderAndRecords(t *testing.T) {
	r := NewReader(strings.NewReader("\"a\",\"b\"\n1,2\n3\n\"x,4\n5,6\n7"), "f.csv")
	names, err := r.Header()
	if err != nil || strings.Join(names, "|") != "a|b" {
		t.Fatalf("Header = %q, %v", names, err)
	}
	var rows, bads []string
	err = r.Records(len(names), func(raw []byte, fields [][]byte) error {
		rows = append(rows, string(raw))
		return nil
	}, func(raw []byte, col int, e error) error {
		bads = append(bads, fmt.Sprintf("%d:%d:%v", r.Line(), col, e))
		return nil
	})
	if err != nil || strings.Join(rows, "|") != "1,2|5,6" {
		t.Errorf("rows %q, %v", rows, err)
	}
	if len(bads) != 3 || !strings.HasPrefix(bads[0], "3:0:wrong number of fields") ||
		!strings.HasPrefix(bads[1], "4:1:bad quoting") || !strings.HasPrefix(bads[2], "6:0:truncated file") {
		t.Errorf("bad lines %q", bads)
	}
	for _, in := range []string{"", "\n\n"} {
		if _, err := NewReader(strings.NewReader(in), "e.csv").Header(); !errors.Is(err, entente.ErrEmpty) {
			t.Errorf("Header of %q: %v, want ErrEmpty", in, err)
		}
	}
	if _, err := NewReader(strings.NewReader("\"a,b\n"), "h.csv").Header(); !errors.Is(err, entente.ErrHeader) || !strings.Contains(err.Error(), "h.csv:1") {
		t.Errorf("bad header: %v", err)
	}
}

func TestIndex(t *testing.T) {
	idx, err := Index([]string{" b", "x", "a "}, []string{"a", "b"})
	if err != nil || idx[0] != 2 || idx[1] != 0 {
		t.Errorf("Index = %v, %v", idx, err)
	}
	if _, err := Index([]string{"a", "a", "b"}, []string{"a", "b"}); !errors.Is(err, entente.ErrHeader) || !strings.Contains(err.Error(), "twice") {
		t.Errorf("repeated column: %v", err)
	}
	if _, err := Index([]string{"a"}, []string{"a", "b"}); !errors.Is(err, entente.ErrHeader) || !strings.Contains(err.Error(), "no column b") {
		t.Errorf("missing column: %v", err)
	}
}
