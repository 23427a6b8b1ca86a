package unvotes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   Layout
	}{
		{"voeten", "resid,ccode,date,year,vote", LayoutVoeten},
		{"unvotes votes", "rcid,country,country_code,vote", LayoutVotes},
		{"roll calls", "rcid,session,importantvote,date,unres,amend,para,short,descr", LayoutRollCalls},
		{"issues", "rcid,short_name,issue", LayoutIssues},
		{"undl", "Link,token,Scrape_Year,Title,Council,Resolution,country,subregion,continent,Date,YES COUNT,tags,AGO,ALB", LayoutUNDL},
		{"columns reordered", "vote,date,ccode,resid,year", LayoutVoeten},
		{"unknown", "a,b,c", LayoutUnknown},
		{"undl without states", "Link,token,Title,Council,Resolution,Date,tags", LayoutUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(strings.Split(tt.header, ","))
			if got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
			if (tt.want == LayoutUnknown) != errors.Is(err, entente.ErrHeader) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// readAll reads src and returns the rows as strings ("bad: message" for BadRows) and
// Read's error.
func readAll(t *testing.T, src string) (Layout, []Row, []*BadRow, error) {
	t.Helper()
	var rows []Row
	var bad []*BadRow
	l, err := Read(strings.NewReader(src), "bad.csv", func(r Row) error {
		switch r := r.(type) {
		case *BadRow:
			c := *r
			bad = append(bad, &c)
			if c.Err.Line <= 0 {
				t.Errorf("BadRow without a line: %v", c.Err)
			}
		case *VoetenRow:
			c := *r
			rows = append(rows, &c)
		default:
			rows = append(rows, r)
		}
		return nil
	})
	return l, rows, bad, err
}

const voetenHeader = `"resid","ccode","date","year","vote"` + "\n"

func TestReadMalformed(t *testing.T) {
	long := strings.Repeat("x", MaxRecordBytes+10)
	wide := strings.Repeat("1,", 9999) + "1"
	tests := []struct {
		name     string
		src      string
		fileErr  string // Read's error message, if the file is refused
		sentinel error
		bad      []string // BadRow messages, in order
		good     int      // rows read well
	}{
		{name: "empty file", src: "", fileErr: "bad.csv:1: empty file", sentinel: entente.ErrEmpty},
		{name: "blank lines only", src: "\n\n", fileErr: "bad.csv:1: empty file", sentinel: entente.ErrEmpty},
		{name: "wrong header", src: "a,b,c\n1,2,3\n", fileErr: "bad.csv:1: field header: unrecognised header", sentinel: entente.ErrHeader},
		{name: "header not UTF-8", src: "resid,cc\xffode,date,year,vote\n", fileErr: "bad.csv:1:9: field header: not valid UTF-8", sentinel: entente.ErrNotUTF8},
		{name: "row not UTF-8", src: "rcid,country,country_code,vote\n3,\"Cura\xe7ao\",\"CW\",\"yes\"\n3,\"Canada\",\"CA\",\"no\"\n",
			sentinel: entente.ErrNotUTF8, bad: []string{"bad.csv:2:8: not valid UTF-8"}, good: 1},
		{name: "truncated in a quote", src: voetenHeader + "1001,2,\"1946-01-01\",1946,1\n1001,20,\"1946-0",
			sentinel: entente.ErrTruncated, bad: []string{"bad.csv:3: truncated file: unterminated quoted field at end of file"}, good: 1},
		{name: "truncated last line", src: voetenHeader + "1001,2,\"1946-01-01\",1946,1\n1001,20",
			sentinel: entente.ErrTruncated, bad: []string{"bad.csv:3: truncated file: last line has 2 fields, want 5, and no newline"}, good: 1},
		{name: "last line without newline is fine", src: voetenHeader + "1001,2,\"1946-01-01\",1946,1", good: 1},
		{name: "10,000 columns", src: voetenHeader + wide + "\n1001,2,\"1946-01-01\",1946,1\n",
			sentinel: entente.ErrFieldCount, bad: []string{"bad.csv:2: wrong number of fields: 10000 fields, more than 2000"}, good: 1},
		{name: "line over 1 MiB", src: voetenHeader + long + "\n1001,2,\"1946-01-01\",1946,1\n",
			sentinel: entente.ErrLineTooLong, bad: []string{"bad.csv:2: line too long: longer than 1048576 bytes"}, good: 1},
		{name: "bad vote code", src: voetenHeader + "1001,2,\"1946-01-01\",1946,7\n",
			sentinel: entente.ErrBadVote, bad: []string{`bad.csv:2:26: field vote: bad vote code "7"`}},
		{name: "bad unvotes vote", src: "rcid,country,country_code,vote\n3,\"Canada\",\"CA\",\"maybe\"\n",
			sentinel: entente.ErrBadVote, bad: []string{`bad.csv:2:17: field vote: bad vote code "maybe": want yes, abstain or no`}},
		{name: "bad date", src: voetenHeader + "1001,2,\"1946-02-30\",1946,1\n",
			sentinel: entente.ErrBadDate, bad: []string{`bad.csv:2:8: field date: bad date "1946-02-30": want YYYY-MM-DD`}},
		{name: "bad number", src: voetenHeader + "10x1,2,\"1946-01-01\",1946,1\n",
			sentinel: entente.ErrBadNumber, bad: []string{`bad.csv:2:1: field resid: bad number "10x1"`}},
		{name: "wrong field count", src: voetenHeader + "1001,2,\"1946-01-01\",1946\n1001,20,\"1946-01-01\",1946,3\n",
			sentinel: entente.ErrFieldCount, bad: []string{"bad.csv:2: wrong number of fields: 4 fields, want 5"}, good: 1},
		{name: "quote inside a field", src: voetenHeader + "1001,2\"x\",\"1946-01-01\",1946,1\n",
			sentinel: entente.ErrQuote, bad: []string{"bad.csv:2:7: bad quoting: quote inside an unquoted field"}},
		{name: "unterminated quote mid-file", src: voetenHeader + "1001,2,\"1946-01-01,1946,1\n1001,20,\"1946-01-01\",1946,3\n",
			sentinel: entente.ErrQuote, bad: []string{"bad.csv:2:8: bad quoting: unterminated quoted field"}, good: 1},
		{name: "text after a closing quote", src: voetenHeader + "1001,2,\"1946-01-01\"x,1946,1\n",
			sentinel: entente.ErrQuote, bad: []string{"bad.csv:2:20: bad quoting"}},
		{name: "CRLF, BOM and blank lines", src: "\uFEFF" + strings.ReplaceAll(voetenHeader, "\n", "\r\n") + "1001,2,\"1946-01-01\",1946,1\r\n\r\n1001,20,\"1946-01-01\",1946,3\r\n", good: 2},
		{name: "absent and non-member codes", src: voetenHeader + "1001,2,\"1946-01-01\",1946,8\n1001,20,\"1946-01-01\",1946,9\n", good: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rows, bad, err := readAll(t, tt.src)
			if tt.fileErr != "" {
				var pe *entente.ParseError
				if !errors.As(err, &pe) || !errors.Is(err, tt.sentinel) || !strings.HasPrefix(err.Error(), tt.fileErr) {
					t.Fatalf("err = %v, want a ParseError starting %q wrapping %v", err, tt.fileErr, tt.sentinel)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(bad) != len(tt.bad) {
				for _, b := range bad {
					t.Log(b.Err)
				}
				t.Fatalf("%d bad rows, want %d", len(bad), len(tt.bad))
			}
			for i, b := range bad {
				if !strings.HasPrefix(b.Err.Error(), tt.bad[i]) || !errors.Is(b.Err, tt.sentinel) {
					t.Errorf("bad row %d: %q, want prefix %q wrapping %v", i, b.Err, tt.bad[i], tt.sentinel)
				}
				if len(b.Raw) > entente.MaxRawBytes {
					t.Errorf("raw line of %d bytes kept", len(b.Raw))
				}
			}
			if len(rows) != tt.good {
				t.Errorf("%d good rows, want %d", len(rows), tt.good)
			}
		})
	}
}

func TestSessionOf(t *testing.T) {
	for sym, want := range map[string]int{
		"A/RES/79/269": 79, "A/DEC/80/506": 80, "A/RES/80/84 A": 80, "A/RES/ES-11/7": 0,
		"A/RES/ES-10/27": 0, "S/RES/2768(2025)": 0, "": 0,
	} {
		if got := SessionOf(sym); got != want {
			t.Errorf("SessionOf(%q) = %d, want %d", sym, got, want)
		}
	}
}

func readExcerpt(t *testing.T, name string) (Layout, []Row) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Row
	l, err := Read(f, name, func(r Row) error {
		switch r := r.(type) {
		case *BadRow:
			t.Errorf("bad row in %s: %v", name, r.Err)
		case *VoetenRow:
			c := *r
			rows = append(rows, &c)
		case *VoteRow:
			c := *r
			rows = append(rows, &c)
		case *RollCallRow:
			c := *r
			rows = append(rows, &c)
		case *IssueRow:
			c := *r
			rows = append(rows, &c)
		case *UNDLRow:
			c := *r
			c.Votes = append([]StateVote(nil), r.Votes...)
			rows = append(rows, &c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l, rows
}

func TestReadVoetenExcerpt(t *testing.T) {
	l, rows := readExcerpt(t, "voeten_excerpt.csv")
	if l != LayoutVoeten || len(rows) != 40 {
		t.Fatalf("layout %v, %d rows", l, len(rows))
	}
	first := rows[0].(*VoetenRow)
	if first.Line != 2 || first.ResID != 1001 || first.CCode != 2 || !first.Date.Equal(day("1946-01-01")) || first.Vote != entente.Yes {
		t.Errorf("first row = %+v", first)
	}
	last := rows[len(rows)-1].(*VoetenRow)
	// The year column says 2022; the date is what counts.
	if last.ResID != 78085 || !last.Date.Equal(day("2023-12-22")) || last.Vote != entente.Yes {
		t.Errorf("last row = %+v", last)
	}
}

func TestReadRollCallsExcerpt(t *testing.T) {
	l, rows := readExcerpt(t, "un_roll_calls_excerpt.csv")
	if l != LayoutRollCalls || len(rows) != 15 {
		t.Fatalf("layout %v, %d rows", l, len(rows))
	}
	rc := rows[0].(*RollCallRow).RollCall
	want := entente.RollCall{Source: entente.SourceUNVotes, ID: "3", Session: 1, Date: day("1946-01-01"),
		Resolution: "R/1/66", Title: "AMENDMENTS, RULES OF PROCEDURE"}
	if rc.ID != want.ID || rc.Session != want.Session || !rc.Date.Equal(want.Date) || rc.Resolution != want.Resolution || rc.Title != want.Title || rc.Important {
		t.Errorf("rcid 3 = %+v", rc)
	}
	// Row 7's descr holds backslashes, doubled quotes and tabs; it must stay one record.
	if r := rows[4].(*RollCallRow); r.Line != 6 || r.RollCall.ID != "7" {
		t.Errorf("row 5 = line %d rcid %s", r.Line, r.RollCall.ID)
	}
}

func TestReadUNDLExcerpt(t *testing.T) {
	l, rows := readExcerpt(t, "undl_excerpt.csv")
	if l != LayoutUNDL || len(rows) != 6 {
		t.Fatalf("layout %v, %d rows", l, len(rows))
	}
	sc := rows[0].(*UNDLRow)
	if sc.Council != "Security Council" || sc.RollCall.ID != "4072364" || len(sc.Votes) != 15 {
		t.Errorf("SC row = %s %s %d votes", sc.Council, sc.RollCall.ID, len(sc.Votes))
	}
	es := rows[2].(*UNDLRow)
	if es.Council != "General Assembly" || es.RollCall.Resolution != "A/RES/ES-11/8" || es.RollCall.Session != 0 ||
		!es.RollCall.Date.Equal(day("2025-02-24")) || es.RollCall.URL != "https://digitallibrary.un.org/record/4076673" || len(es.Votes) != 174 {
		t.Errorf("ES-11/8 row = %+v, %d votes", es.RollCall, len(es.Votes))
	}
	if r := rows[5].(*UNDLRow); r.RollCall.Session != 79 {
		t.Errorf("A/RES/79/269 session = %d", r.RollCall.Session)
	}
}

// An unterminated quote in a layout whose fields may span lines runs to the record limit
// without quadratic work, and reading goes on after it.
func TestReadOpenQuoteManyLines(t *testing.T) {
	src := "rcid,session,importantvote,date,unres,amend,para,short,descr\n" +
		"3,1,0,\"1946-01-01\",\"R/1/66\",1,0,\"A\",\"open\n" + strings.Repeat("x\n", MaxRecordBytes/2+10) + "\n"
	start := time.Now()
	_, _, bad, err := readAll(t, src)
	if err != nil || len(bad) == 0 || !errors.Is(bad[0].Err, entente.ErrLineTooLong) || bad[0].Err.Line != 2 {
		t.Fatalf("err %v, bad %v", err, bad)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}
