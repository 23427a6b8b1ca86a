// Package csvline reads the simple CSV exports of the public datasets (peacesciencer,
// manyigos): one record per line, fields quoted or not, never a comma, quote or newline
// inside a field. It is faster than encoding/csv for them and reports line faults (too
// long, not UTF-8, bad quoting) with their line and column, so format packages can
// quarantine the line and read on.
package csvline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/entente/entente"
)

// Limits of one line. A longer line is quarantined and reading goes on at the next one.
const (
	MaxLineBytes = 64 << 10
	MaxFields    = 64
)

// Reader yields the physical lines of a CSV file with their numbers and splits them
// into fields. A record is one line; a field may be quoted, with "" for a quote inside.
// Lines and fields are valid until the next call.
type Reader struct {
	br     *bufio.Reader
	file   string
	line   int
	buf    []byte
	fields [][]byte
	unq    []byte
	noNL   bool // the last line read had no final newline
}

// NewReader returns a Reader of r; file names it in errors.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), file: file}
}

// Line returns the number of the line last returned by Next.
func (l *Reader) Line() int { return l.line }

// NoNewline reports whether the last line read had no final newline (a truncated file
// ends so).
func (l *Reader) NoNewline() bool { return l.noNL }

// Next returns the next non-blank line; ok is false at end of input. errLine is a
// fault of the line (too long, not UTF-8) at 1-based column col; err is a read error.
// A BOM on the first line and a CR before the newline are removed.
func (l *Reader) Next() (raw []byte, ok bool, errLine error, col int, err error) {
	for {
		l.buf = l.buf[:0]
		tooLong := false
		gotAny := false
		for {
			chunk, e := l.br.ReadSlice('\n')
			gotAny = gotAny || len(chunk) > 0
			if len(l.buf)+len(chunk) > MaxLineBytes+1 {
				tooLong = true
			} else {
				l.buf = append(l.buf, chunk...)
			}
			if e == nil {
				l.noNL = false
				break
			}
			if errors.Is(e, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(e, io.EOF) {
				if !gotAny {
					return nil, false, nil, 0, nil
				}
				l.noNL = true
				break
			}
			return nil, false, nil, 0, fmt.Errorf("read %s: %w", l.file, e)
		}
		l.line++
		l.buf = bytes.TrimSuffix(l.buf, []byte{'\n'})
		l.buf = bytes.TrimSuffix(l.buf, []byte{'\r'})
		if l.line == 1 {
			l.buf = bytes.TrimPrefix(l.buf, []byte("\uFEFF"))
		}
		if tooLong {
			return l.buf, true, fmt.Errorf("%w: longer than %d bytes", entente.ErrLineTooLong, MaxLineBytes), 0, nil
		}
		if len(bytes.TrimSpace(l.buf)) == 0 {
			if l.noNL {
				return nil, false, nil, 0, nil
			}
			continue
		}
		if !utf8.Valid(l.buf) {
			return l.buf, true, entente.ErrNotUTF8, FirstInvalidUTF8(l.buf) + 1, nil
		}
		return l.buf, true, nil, 0, nil
	}
}

// Split cuts a line into fields, removing the quotes of quoted fields. On a quoting
// error or too many fields it returns the error and its 1-based column (0 if none).
func (l *Reader) Split(line []byte) (fields [][]byte, col int, err error) {
	l.fields = l.fields[:0]
	if bytes.IndexByte(line, '"') < 0 {
		for len(l.fields) < MaxFields {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				l.fields = append(l.fields, line)
				return l.fields, 0, nil
			}
			l.fields = append(l.fields, line[:i:i])
			line = line[i+1:]
		}
		return nil, 0, fmt.Errorf("%w: more than %d fields", entente.ErrFieldCount, MaxFields)
	}
	// Offsets first, slices after: l.unq may move while it grows.
	type span struct{ start, end int }
	var spans [MaxFields]span
	n := 0
	l.unq = l.unq[:0]
	pos := 0
	for {
		if n == MaxFields {
			return nil, 0, fmt.Errorf("%w: more than %d fields", entente.ErrFieldCount, MaxFields)
		}
		start := len(l.unq)
		if pos < len(line) && line[pos] == '"' {
			i := pos + 1
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					return nil, pos + 1, fmt.Errorf("%w: unterminated quoted field", entente.ErrQuote)
				}
				l.unq = append(l.unq, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					l.unq = append(l.unq, '"')
					i++
					continue
				}
				break
			}
			if i < len(line) && line[i] != ',' {
				return nil, i + 1, fmt.Errorf("%w: text after a closing quote", entente.ErrQuote)
			}
			pos = i
		} else {
			j := bytes.IndexByte(line[pos:], ',')
			end := len(line)
			if j >= 0 {
				end = pos + j
			}
			if k := bytes.IndexByte(line[pos:end], '"'); k >= 0 {
				return nil, pos + k + 1, fmt.Errorf("%w: quote inside an unquoted field", entente.ErrQuote)
			}
			l.unq = append(l.unq, line[pos:end]...)
			pos = end
		}
		spans[n] = span{start, len(l.unq)}
		n++
		if pos >= len(line) {
			break
		}
		pos++ // the comma
		if pos == len(line) {
			spans[n] = span{len(l.unq), len(l.unq)}
			n++
			break
		}
	}
	for _, s := range spans[:n] {
		l.fields = append(l.fields, l.unq[s.start:s.end:s.end])
	}
	return l.fields, 0, nil
}

// FirstInvalidUTF8 returns the byte offset of the first invalid UTF-8 in b, -1 when
// there is none: the column of an entente.ErrNotUTF8 fault is this plus one. Every line
// scanner of ingest uses it.
func FirstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// Header reads the first line as a header and returns its names. An empty file is
// entente.ErrEmpty; a line or quoting fault is entente.ErrHeader; both as a
// *entente.ParseError naming the file and line.
func (l *Reader) Header() ([]string, error) {
	raw, ok, lineErr, col, err := l.Next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &entente.ParseError{File: l.file, Line: 1, Err: entente.ErrEmpty}
	}
	if lineErr != nil {
		return nil, &entente.ParseError{File: l.file, Line: l.line, Column: col, Field: "header", Err: fmt.Errorf("%w: %w", entente.ErrHeader, lineErr)}
	}
	fields, col, qerr := l.Split(raw)
	if qerr != nil {
		return nil, &entente.ParseError{File: l.file, Line: l.line, Column: col, Field: "header", Err: fmt.Errorf("%w: %w", entente.ErrHeader, qerr)}
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	return names, nil
}

// Records reads the data lines after the header, each split into exactly n fields, and
// calls row for each. A line that cannot be one (too long, not UTF-8, bad quoting, the
// wrong number of fields — entente.ErrTruncated when it is the last line and has no
// newline) goes to bad with its raw bytes and the 1-based column at fault (0: the
// line), and reading goes on. An error from row or bad stops Records and is returned.
func (l *Reader) Records(n int, row func(raw []byte, fields [][]byte) error, bad func(raw []byte, col int, err error) error) error {
	for {
		raw, ok, lineErr, col, err := l.Next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if lineErr != nil {
			if err := bad(raw, col, lineErr); err != nil {
				return err
			}
			continue
		}
		fields, col, qerr := l.Split(raw)
		if qerr == nil && len(fields) != n {
			qerr = fmt.Errorf("%w: %d fields, want %d", entente.ErrFieldCount, len(fields), n)
			if l.noNL {
				qerr = fmt.Errorf("%w: last line has %d fields, want %d, and no newline", entente.ErrTruncated, len(fields), n)
			}
		}
		if qerr != nil {
			if err := bad(raw, col, qerr); err != nil {
				return err
			}
			continue
		}
		if err := row(raw, fields); err != nil {
			return err
		}
	}
}

// Index finds each of want in header (names compared after trimming spaces) and returns
// their positions. A missing or repeated column is entente.ErrHeader.
func Index(header, want []string) ([]int, error) {
	idx := make([]int, len(want))
	for i := range idx {
		idx[i] = -1
	}
	for j, h := range header {
		h = strings.TrimSpace(h)
		for i, c := range want {
			if h == c {
				if idx[i] >= 0 {
					return idx, fmt.Errorf("%w: column %s twice", entente.ErrHeader, c)
				}
				idx[i] = j
			}
		}
	}
	for i, c := range want {
		if idx[i] < 0 {
			return idx, fmt.Errorf("%w: no column %s (want %v)", entente.ErrHeader, c, want)
		}
	}
	return idx, nil
}
