package country

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/entente/entente"
)

// Columns are the header fields of countries.tsv, in order (docs/countries.md).
var Columns = []string{"id", "iso3", "iso2", "isonum", "cow", "cowletter", "name", "aliases", "begin", "end", "note"}

// ErrBadCode is the cause of a ParseError for a malformed ID, ISO or COW letter code.
var ErrBadCode = errors.New("bad code: want upper-case letters (ID, ISO3: 3; ISO2: 2; COW letter: 2 or 3)")

// fileName names the registry file in parse errors.
const fileName = "countries.tsv"

var (
	reID     = regexp.MustCompile(`^[A-Z]{3}$`)
	reISO2   = regexp.MustCompile(`^[A-Z]{2}$`)
	reLetter = regexp.MustCompile(`^[A-Z]{2,3}$`)
)

// Load reads a registry file in the countries.tsv format: a header line naming Columns,
// then one tab-separated spell per line; lines starting with '#' are comments. It
// checks every field and that no two spells with the same COW number, ISO3 or ISO2
// code overlap in time. Errors are *entente.ParseError values naming the line and field.
func Load(r io.Reader) (*Registry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var spells []entente.Country
	var lines []int
	header := false
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if !utf8.ValidString(line) {
			return nil, &entente.ParseError{File: fileName, Line: n, Err: entente.ErrNotUTF8}
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if !header {
			if strings.Join(f, "\t") != strings.Join(Columns, "\t") {
				return nil, &entente.ParseError{File: fileName, Line: n, Err: fmt.Errorf("%w: want %s", entente.ErrHeader, strings.Join(Columns, ","))}
			}
			header = true
			continue
		}
		if len(f) != len(Columns) {
			return nil, &entente.ParseError{File: fileName, Line: n, Err: fmt.Errorf("%w: %d, want %d", entente.ErrFieldCount, len(f), len(Columns))}
		}
		c, err := parseSpell(f)
		if err != nil {
			var pe *entente.ParseError
			if errors.As(err, &pe) {
				pe.File, pe.Line = fileName, n
			}
			return nil, err
		}
		spells = append(spells, c)
		lines = append(lines, n)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &entente.ParseError{File: fileName, Line: n + 1, Err: entente.ErrLineTooLong}
		}
		return nil, fmt.Errorf("read %s: %w", fileName, err)
	}
	if !header {
		return nil, &entente.ParseError{File: fileName, Err: entente.ErrEmpty}
	}
	if err := checkOverlaps(spells, lines); err != nil {
		return nil, err
	}
	return newRegistry(spells), nil
}

func fieldErr(col int, err error) error {
	return &entente.ParseError{Column: col + 1, Field: Columns[col], Err: err}
}

func parseSpell(f []string) (entente.Country, error) {
	var c entente.Country
	code := func(col int, re *regexp.Regexp, optional bool) (string, error) {
		v := f[col]
		if v == "" && optional {
			return "", nil
		}
		if !re.MatchString(v) {
			return "", fieldErr(col, fmt.Errorf("%w: %q", ErrBadCode, v))
		}
		return v, nil
	}
	num := func(col, max int) (int, error) {
		if f[col] == "" {
			return 0, nil
		}
		v, err := strconv.Atoi(f[col])
		if err != nil || v <= 0 || v > max {
			return 0, fieldErr(col, fmt.Errorf("%w: %q", entente.ErrBadNumber, f[col]))
		}
		return v, nil
	}
	date := func(col int, optional bool) (time.Time, error) {
		if f[col] == "" && optional {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, f[col])
		if err != nil {
			return time.Time{}, fieldErr(col, fmt.Errorf("%w: %q, want YYYY-MM-DD", entente.ErrBadDate, f[col]))
		}
		return t, nil
	}
	var err error
	if c.ID, err = code(0, reID, false); err != nil {
		return c, err
	}
	if c.ISO3, err = code(1, reID, true); err != nil {
		return c, err
	}
	if c.ISO2, err = code(2, reISO2, true); err != nil {
		return c, err
	}
	if c.ISONum, err = num(3, 999); err != nil {
		return c, err
	}
	if c.COW, err = num(4, 9999); err != nil {
		return c, err
	}
	if c.COWLetter, err = code(5, reLetter, true); err != nil {
		return c, err
	}
	if c.Name = strings.TrimSpace(f[6]); c.Name == "" {
		return c, fieldErr(6, errors.New("empty name"))
	}
	if f[7] != "" {
		for _, a := range strings.Split(f[7], "|") {
			if a = strings.TrimSpace(a); a == "" {
				return c, fieldErr(7, errors.New("empty alias"))
			}
			c.Aliases = append(c.Aliases, a)
		}
	}
	if c.Begin, err = date(8, false); err != nil {
		return c, err
	}
	if c.End, err = date(9, true); err != nil {
		return c, err
	}
	if !c.End.IsZero() && c.End.Before(c.Begin) {
		return c, fieldErr(9, fmt.Errorf("%w: end %s before begin %s", entente.ErrBadDate, f[9], f[8]))
	}
	return c, nil
}

// checkOverlaps rejects two spells that share an (ID, Begin), or share a COW number,
// ISO3 or ISO2 code on the same day: a code must name one spell at any date.
func checkOverlaps(spells []entente.Country, lines []int) error {
	type key struct {
		kind, code string
	}
	seen := map[key][]int{}
	for i, c := range spells {
		keys := []key{{"id+begin", c.ID + c.Begin.Format(time.DateOnly)}}
		if c.COW != 0 {
			keys = append(keys, key{"cow", strconv.Itoa(c.COW)})
		}
		if c.ISO3 != "" {
			keys = append(keys, key{"iso3", c.ISO3})
		}
		if c.ISO2 != "" {
			keys = append(keys, key{"iso2", c.ISO2})
		}
		if c.COWLetter != "" {
			keys = append(keys, key{"cowletter", c.COWLetter})
		}
		for _, k := range keys {
			for _, j := range seen[k] {
				o := spells[j]
				if k.kind == "id+begin" || c.Overlaps(o.Begin, dayAfter(o.End)) {
					return &entente.ParseError{File: fileName, Line: lines[i], Field: k.kind,
						Err: fmt.Errorf("%w: %s %s overlaps line %d", entente.ErrBadDate, k.kind, k.code, lines[j])}
				}
			}
			seen[k] = append(seen[k], i)
		}
	}
	return nil
}

func dayAfter(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.AddDate(0, 0, 1)
}

// NormalizeName returns the key under which names and aliases are matched: lower case,
// typographic apostrophes made plain, '&' read as "and", dots and commas dropped,
// hyphens and runs of spaces made single spaces, and a leading "the " removed.
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	for _, r := range strings.ToLower(s) {
		switch r {
		case '’', '‘', '`', '´':
			r = '\''
		case '.', ',':
			continue
		case '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
			continue
		case '-', '–', '\t', '\n', '_':
			r = ' '
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	out := strings.TrimSuffix(b.String(), " ")
	return strings.TrimPrefix(out, "the ")
}
