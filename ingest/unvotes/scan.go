package unvotes

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Limits of one record. A longer record, or one with more fields, is quarantined and
// reading goes on at the next line.
const (
	MaxRecordBytes = 1 << 20 // 1 MiB
	MaxFields      = 2000
)

// scanner splits CSV records (RFC 4180: comma-separated, fields optionally quoted, "" for
// a quote inside quotes) with line numbers. It is hand-written rather than encoding/csv
// because it must keep going after a bad record, bound every record, report the raw line,
// and stay allocation-free on the 25 MB long files. Fields are valid until the next call.
type scanner struct {
	br        *bufio.Reader
	file      string
	multiline bool // whether a quoted field may span lines (roll-call descriptions)

	nextLine int    // 1-based number of the next physical line
	rec      []byte // the current record, newlines inside quotes kept, final newline cut
	fields   [][]byte
	starts   []int // byte offset of each field in the record
	spans    []span
	unq      []byte // unquoted field contents, for fields that had quotes
	eof      bool
}

// span is a field found by split: its bytes in s.unq (quoted) or the line, and its
// offset in the line.
type span struct {
	quoted     bool
	start, end int
	pos        int
}

// record is what next returns; its slices are valid until the following call.
type record struct {
	line   int // first line of the record
	raw    []byte
	fields [][]byte
	noNL   bool // the record ended at end of file without a newline
	err    error
	col    int // 1-based column of err, 0 for the whole line
}

func newScanner(r io.Reader, file string) *scanner {
	return &scanner{br: bufio.NewReaderSize(r, 64<<10), file: file, nextLine: 1}
}

// readLine appends the next physical line (without its newline) to s.rec. It reports
// whether a line was read, whether it ended with a newline, and whether the record
// would grow past MaxRecordBytes (the rest of that line is then skipped).
func (s *scanner) readLine() (ok, nl, tooLong bool, err error) {
	start := len(s.rec)
	for {
		chunk, e := s.br.ReadSlice('\n')
		if len(s.rec)+len(chunk) > MaxRecordBytes+1 {
			tooLong = true
			if room := MaxRecordBytes + 1 - len(s.rec); room > 0 {
				s.rec = append(s.rec, chunk[:room]...)
			}
		} else {
			s.rec = append(s.rec, chunk...)
		}
		switch {
		case e == nil:
			s.nextLine++
			if !tooLong {
				s.rec = bytes.TrimSuffix(s.rec[:len(s.rec)-1], []byte{'\r'})
			}
			return true, true, tooLong, nil
		case errors.Is(e, bufio.ErrBufferFull):
			continue
		case errors.Is(e, io.EOF):
			s.eof = true
			if len(s.rec) == start && len(chunk) == 0 {
				return false, false, tooLong, nil
			}
			s.nextLine++
			return true, false, tooLong, nil
		default:
			return false, false, tooLong, e
		}
	}
}

// next returns the next non-blank record, or ok == false at end of input. A read error
// of the underlying reader is returned as err and ends the scan.
func (s *scanner) next() (rec record, ok bool, err error) {
	for {
		if s.eof {
			return record{}, false, nil
		}
		s.rec = s.rec[:0]
		rec.line = s.nextLine
		got, nl, tooLong, err := s.readLine()
		if err != nil {
			return record{}, false, fmt.Errorf("read %s: %w", s.file, err)
		}
		if !got {
			return record{}, false, nil
		}
		if rec.line == 1 {
			s.rec = bytes.TrimPrefix(s.rec, []byte("\uFEFF")) // a byte-order mark
		}
		if len(s.rec) == 0 && !tooLong {
			continue // blank line: no record
		}
		// A record ends at a newline where the count of quotes so far is even.
		quotes := bytes.Count(s.rec, []byte{'"'})
		for !tooLong && quotes%2 == 1 {
			if !nl {
				rec.raw, rec.noNL = s.rec, true
				rec.err = fmt.Errorf("%w: unterminated quoted field at end of file", entente.ErrTruncated)
				return rec, true, nil
			}
			if !s.multiline {
				rec.raw = s.rec
				rec.err, rec.col = fmt.Errorf("%w: unterminated quoted field", entente.ErrQuote), bytes.IndexByte(s.rec, '"')+1
				return rec, true, nil
			}
			s.rec = append(s.rec, '\n')
			from := len(s.rec)
			var got2 bool
			got2, nl, tooLong, err = s.readLine()
			if err != nil {
				return record{}, false, fmt.Errorf("read %s: %w", s.file, err)
			}
			if !got2 {
				s.rec = s.rec[:len(s.rec)-1]
				rec.raw, rec.noNL = s.rec, true
				rec.err = fmt.Errorf("%w: unterminated quoted field at end of file", entente.ErrTruncated)
				return rec, true, nil
			}
			quotes += bytes.Count(s.rec[min(from, len(s.rec)):], []byte{'"'})
		}
		rec.raw, rec.noNL = s.rec, !nl
		if tooLong {
			rec.err = fmt.Errorf("%w: longer than %d bytes", entente.ErrLineTooLong, MaxRecordBytes)
			return rec, true, nil
		}
		if !utf8.Valid(s.rec) {
			rec.err, rec.col = entente.ErrNotUTF8, csvline.FirstInvalidUTF8(s.rec)+1
			return rec, true, nil
		}
		rec.fields, rec.err, rec.col = s.split(s.rec)
		return rec, true, nil
	}
}

// split cuts one record into fields. Unquoted fields point into line; quoted fields are
// copied, unescaped, into s.unq.
func (s *scanner) split(line []byte) ([][]byte, error, int) {
	s.fields, s.starts = s.fields[:0], s.starts[:0]
	if bytes.IndexByte(line, '"') < 0 { // fast path: the long numeric layouts
		if n := bytes.Count(line, []byte{','}) + 1; n > MaxFields {
			return nil, fmt.Errorf("%w: %d fields, more than %d", entente.ErrFieldCount, n, MaxFields), 0
		}
		off := 0
		for {
			i := bytes.IndexByte(line[off:], ',')
			s.starts = append(s.starts, off)
			if i < 0 {
				s.fields = append(s.fields, line[off:len(line):len(line)])
				return s.fields, nil, 0
			}
			s.fields = append(s.fields, line[off:off+i:off+i])
			off += i + 1
		}
	}
	s.unq = s.unq[:0]
	// Offsets into s.unq first, slices after: s.unq may move while it grows.
	spans := s.spans[:0]
	defer func() { s.spans = spans }()
	pos := 0
	for {
		if len(spans) >= MaxFields {
			return nil, fmt.Errorf("%w: more than %d fields", entente.ErrFieldCount, MaxFields), 0
		}
		if pos < len(line) && line[pos] == '"' {
			start := len(s.unq)
			i := pos + 1
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 { // cannot happen: quotes are balanced
					return nil, fmt.Errorf("%w: unterminated quoted field", entente.ErrQuote), pos + 1
				}
				s.unq = append(s.unq, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					s.unq = append(s.unq, '"')
					i++
					continue
				}
				break
			}
			spans = append(spans, span{true, start, len(s.unq), pos})
			if i == len(line) {
				break
			}
			if line[i] != ',' {
				return nil, fmt.Errorf("%w: %q after a closing quote", entente.ErrQuote, line[i]), i + 1
			}
			pos = i + 1
			continue
		}
		j := bytes.IndexByte(line[pos:], ',')
		end := len(line)
		if j >= 0 {
			end = pos + j
		}
		if q := bytes.IndexByte(line[pos:end], '"'); q >= 0 {
			return nil, fmt.Errorf("%w: quote inside an unquoted field", entente.ErrQuote), pos + q + 1
		}
		spans = append(spans, span{false, pos, end, pos})
		if j < 0 {
			break
		}
		pos = end + 1
	}
	for _, sp := range spans {
		s.starts = append(s.starts, sp.pos)
		if sp.quoted {
			s.fields = append(s.fields, s.unq[sp.start:sp.end:sp.end])
		} else {
			s.fields = append(s.fields, line[sp.start:sp.end:sp.end])
		}
	}
	return s.fields, nil, 0
}
