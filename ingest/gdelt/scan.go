package gdelt

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/entente/entente"
)

// Limits of one line. A longer line is quarantined (entente.ErrLineTooLong) and reading
// goes on at the next one.
const (
	MaxLineBytes = 1 << 20 // 1 MiB; real rows are under 2 KB
)

// lineReader yields physical lines with their numbers. Lines are split on '\n' only; a
// '\r' before it is dropped. Quotes mean nothing in GDELT files (stray double quotes
// occur in actor names), so a line is always a record. The line is valid until the next
// call.
type lineReader struct {
	br   *bufio.Reader
	long []byte // a line that did not fit the buffer
	num  int    // number of the line last returned
	eof  bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next line, without its end. ok is false at the end of input. nl
// reports whether the line ended with a newline (the last line of a cut file does not);
// tooLong that it was longer than MaxLineBytes (line then holds its first bytes only).
func (lr *lineReader) next() (line []byte, ok, nl, tooLong bool, err error) {
	if lr.eof {
		return nil, false, false, false, nil
	}
	chunk, e := lr.br.ReadSlice('\n')
	if errors.Is(e, bufio.ErrBufferFull) {
		lr.long = append(lr.long[:0], chunk...)
		for errors.Is(e, bufio.ErrBufferFull) {
			chunk, e = lr.br.ReadSlice('\n')
			if room := MaxLineBytes + 1 - len(lr.long); room > 0 {
				lr.long = append(lr.long, chunk[:min(room, len(chunk))]...)
			}
			if len(lr.long) > MaxLineBytes {
				tooLong = true
			}
		}
		chunk = lr.long
		if tooLong {
			chunk = chunk[:min(len(chunk), MaxLineBytes)]
		}
	}
	switch {
	case e == nil:
		lr.num++
		if !tooLong {
			chunk = chunk[:len(chunk)-1]
		}
		return trimCR(chunk), true, true, tooLong, nil
	case errors.Is(e, io.EOF):
		lr.eof = true
		if len(chunk) == 0 {
			return nil, false, false, false, nil
		}
		lr.num++
		return trimCR(chunk), true, false, tooLong, nil
	default:
		return nil, false, false, false, e
	}
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// maxSplit is the most fields split records; any more only count.
const maxSplit = ExportFields

// fields holds the field boundaries of one line: field i is line[start[i]:start[i+1]-1].
type fields struct {
	line  []byte
	start [maxSplit + 1]int
	n     int // number of fields in the line, even beyond maxSplit
}

// split cuts line at tabs. Lines with more than maxSplit fields are only counted.
//
// It looks for tabs eight bytes at a time (SWAR): GDELT rows are mostly short or empty
// fields, where one bytes.IndexByte call per field cost 40% of the parse
// (BenchmarkReadExport: about 520 MB/s with IndexByte, 590 to 750 MB/s with this, on a
// shared 2-core machine). TestSplitMatchesBytesSplit checks it against bytes.Split.
func (f *fields) split(line []byte) {
	f.line = line
	f.start[0] = 0
	n := 1 // fields started so far
	pos := 0
	for ; pos+8 <= len(line); pos += 8 {
		x := binary.LittleEndian.Uint64(line[pos:]) ^ tabBytes
		// High bit set in each byte of m that is zero in x, that is a tab in the line;
		// exact per byte (no carries between bytes).
		m := ^(((x & low7) + low7) | x | low7)
		for m != 0 {
			tab := pos + bits.TrailingZeros64(m)>>3
			f.start[n] = tab + 1 // when n == maxSplit: the end of the last field split
			if n == maxSplit {
				f.n = n + bytes.Count(line[tab:], []byte{'\t'})
				return
			}
			n++
			m &= m - 1
		}
	}
	for ; pos < len(line); pos++ {
		if line[pos] == '\t' {
			f.start[n] = pos + 1
			if n == maxSplit {
				f.n = n + bytes.Count(line[pos:], []byte{'\t'})
				return
			}
			n++
		}
	}
	f.n = n
	f.start[n] = len(line) + 1
}

const (
	tabBytes = 0x0909090909090909
	low7     = 0x7f7f7f7f7f7f7f7f
)

// get returns field i (0-based), which must be below f.n and maxSplit.
func (f *fields) get(i int) []byte { return f.line[f.start[i] : f.start[i+1]-1] }

// col returns the 1-based byte column field i starts at.
func (f *fields) col(i int) int { return f.start[i] + 1 }

func fieldCountErr(n int, want string, nl bool) error {
	if !nl {
		return fmt.Errorf("%w: last line has %d fields, want %s, and no newline", entente.ErrTruncated, n, want)
	}
	return fmt.Errorf("%w: %d fields, want %s", entente.ErrFieldCount, n, want)
}
