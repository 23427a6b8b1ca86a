// Package bloc is an embedded, cited registry of the security and economic blocs that
// bear on alignment (NATO, the EU, the CSTO, the EAEU, the SCO, BRICS, the CIS and the
// Union State of Russia and Belarus), with accession, exit, suspension and freeze dates
// up to today that the COW IGO data (ending in 2014) lack. docs/blocs.md describes the
// data files and the choices made.
//
// The data live in three tab-separated files compiled into the binary: blocs.tsv (the
// blocs), members.tsv (one spell of one state in one bloc, in one status, per line) and
// sources.tsv (the citations the spells name). Every spell has at least one source;
// Checked marks a source whose text was read and states the fact.
package bloc

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
)

// Status is a state's standing in a bloc during a spell.
type Status string

// The statuses. Only StatusMember is full membership; the others are recorded so that a
// freeze or a suspension is visible rather than read as membership or as absence.
const (
	// Their words are the root package's (entente.StatusMember ...).
	StatusMember      Status = entente.StatusMember
	StatusFrozen      Status = entente.StatusFrozen      // the state declared its participation frozen (Armenia in the CSTO, 2024)
	StatusSuspended   Status = entente.StatusSuspended   // membership suspended by the bloc (Uzbekistan in the CSTO, 2012)
	StatusParticipant Status = entente.StatusParticipant // takes part without being a member state (Ukraine in the CIS)
	StatusAssociate   Status = entente.StatusAssociate   // associate member (Turkmenistan in the CIS)
)

func (s Status) valid() bool {
	switch s {
	case StatusMember, StatusFrozen, StatusSuspended, StatusParticipant, StatusAssociate:
		return true
	}
	return false
}

// Bloc is one organisation of the registry.
type Bloc struct {
	Code string // NATO, EU, CSTO, EAEU, SCO, BRICS, CIS, UNION_STATE
	Name string
	Kind string // security, economic or political
}

// Membership is one spell of a state in a bloc in one status: from From (inclusive) to
// Until (exclusive; zero while it lasts).
type Membership struct {
	Bloc      string
	State     string // entente registry ID (ISO3)
	Status    Status
	From      time.Time
	Until     time.Time
	Precision entente.Precision // of From
	Note      string
	Sources   []entente.Citation
	Line      int // in members.tsv
}

// Active reports whether the spell covers day at.
func (m Membership) Active(at time.Time) bool {
	return !at.Before(m.From) && (m.Until.IsZero() || at.Before(m.Until))
}

// Registry holds the blocs and their memberships. It is immutable and safe for
// concurrent use.
type Registry struct {
	blocs   []Bloc
	byCode  map[string]Bloc
	members []Membership
}

//go:embed blocs.tsv
var blocsTSV []byte

//go:embed members.tsv
var membersTSV []byte

//go:embed sources.tsv
var sourcesTSV []byte

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the registry compiled into the binary. It panics if the embedded data
// are broken, which the package tests rule out.
func Default() *Registry {
	defaultOnce.Do(func() {
		r, err := Load(blocsTSV, membersTSV, sourcesTSV)
		if err != nil {
			panic("BUG: bloc: embedded registry: " + err.Error())
		}
		defaultReg = r
	})
	return defaultReg
}

// Known reports whether code (case-insensitive) is a bloc of the registry.
func (r *Registry) Known(code string) bool {
	_, ok := r.byCode[strings.ToUpper(code)]
	return ok
}

// Blocs returns the blocs in file order.
func (r *Registry) Blocs() []Bloc { return slices.Clone(r.blocs) }

// Members returns the spells of bloc code (case-insensitive) active at day at, in any
// status, ordered by state. An unknown code gives nil; use Known to tell it from a bloc
// with no members then. Callers that want full members only filter on StatusMember.
func (r *Registry) Members(code string, at time.Time) []Membership {
	code = strings.ToUpper(code)
	var out []Membership
	for _, m := range r.members {
		if m.Bloc == code && m.Active(at) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Membership) int { return strings.Compare(a.State, b.State) })
	return out
}

// MemberOf returns the spells of state stateID (a registry ID, case-insensitive) active
// at day at, in any status, ordered by bloc.
func (r *Registry) MemberOf(stateID string, at time.Time) []Membership {
	stateID = strings.ToUpper(stateID)
	var out []Membership
	for _, m := range r.members {
		if m.State == stateID && m.Active(at) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Membership) int { return strings.Compare(a.Bloc, b.Bloc) })
	return out
}

// All returns every spell in file order.
func (r *Registry) All() []Membership { return slices.Clone(r.members) }

// Load parses the three registry files. Errors are *entente.ParseError values naming the
// file and line.
func Load(blocs, members, sources []byte) (*Registry, error) {
	r := &Registry{byCode: map[string]Bloc{}}
	err := eachRow(blocs, "blocs.tsv", 3, func(line int, f []string) error {
		b := Bloc{Code: f[0], Name: f[1], Kind: f[2]}
		if b.Code == "" || b.Code != strings.ToUpper(b.Code) {
			return fieldErr("blocs.tsv", line, 1, "code", fmt.Errorf("%w: code %q must be upper case", entente.ErrHeader, b.Code))
		}
		if _, dup := r.byCode[b.Code]; dup {
			return fieldErr("blocs.tsv", line, 1, "code", fmt.Errorf("duplicate bloc %s", b.Code))
		}
		r.byCode[b.Code] = b
		r.blocs = append(r.blocs, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	cites := map[string]entente.Citation{}
	err = eachRow(sources, "sources.tsv", 7, func(line int, f []string) error {
		c := entente.Citation{URL: f[1], Title: f[2], Publisher: f[3], Quote: f[6]}
		if f[0] == "" || c.Title == "" || c.Publisher == "" {
			return fieldErr("sources.tsv", line, 1, "id", fmt.Errorf("a source needs an id, a title and a publisher"))
		}
		if _, dup := cites[f[0]]; dup {
			return fieldErr("sources.tsv", line, 1, "id", fmt.Errorf("duplicate source %s", f[0]))
		}
		if f[4] != "" {
			t, err := entente.ParseDay(f[4])
			if err != nil {
				return fieldErr("sources.tsv", line, 5, "published", err)
			}
			c.Published = t
		}
		switch f[5] {
		case "true":
			c.Checked = true
		case "false":
		default:
			return fieldErr("sources.tsv", line, 6, "checked", fmt.Errorf("want true or false, got %q", f[5]))
		}
		cites[f[0]] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(members, "members.tsv", 8, func(line int, f []string) error {
		m := Membership{Bloc: f[0], State: f[1], Status: Status(f[2]), Note: f[7], Line: line}
		if _, ok := r.byCode[m.Bloc]; !ok {
			return fieldErr("members.tsv", line, 1, "bloc", fmt.Errorf("unknown bloc %q", m.Bloc))
		}
		if len(m.State) != 3 || m.State != strings.ToUpper(m.State) {
			return fieldErr("members.tsv", line, 2, "state", fmt.Errorf("%w: %q is not an upper-case ISO3 ID", entente.ErrUnknownState, m.State))
		}
		if !m.Status.valid() {
			return fieldErr("members.tsv", line, 3, "status", fmt.Errorf("unknown status %q", f[2]))
		}
		var err error
		if m.From, err = entente.ParseDay(f[3]); err != nil {
			return fieldErr("members.tsv", line, 4, "from", err)
		}
		if f[4] != "" {
			if m.Until, err = entente.ParseDay(f[4]); err != nil {
				return fieldErr("members.tsv", line, 5, "until", err)
			}
			if !m.Until.After(m.From) {
				return fieldErr("members.tsv", line, 5, "until", fmt.Errorf("%w: until %s not after from %s", entente.ErrBadDate, f[4], f[3]))
			}
		}
		switch f[5] {
		case "day":
			m.Precision = entente.PrecisionDay
		case "month":
			m.Precision = entente.PrecisionMonth
		case "year":
			m.Precision = entente.PrecisionYear
		default:
			return fieldErr("members.tsv", line, 6, "precision", fmt.Errorf("want day, month or year, got %q", f[5]))
		}
		ids := strings.Fields(f[6])
		if len(ids) == 0 {
			return fieldErr("members.tsv", line, 7, "sources", fmt.Errorf("a membership needs a source"))
		}
		for _, id := range ids {
			c, ok := cites[id]
			if !ok {
				return fieldErr("members.tsv", line, 7, "sources", fmt.Errorf("unknown source %q", id))
			}
			m.Sources = append(m.Sources, c)
		}
		r.members = append(r.members, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, checkOverlaps(r.members)
}

// checkOverlaps rejects two spells of one state in one bloc that share a day.
func checkOverlaps(ms []Membership) error {
	for i, a := range ms {
		for _, b := range ms[i+1:] {
			if a.Bloc != b.Bloc || a.State != b.State {
				continue
			}
			aEnds := !a.Until.IsZero() && !a.Until.After(b.From)
			bEnds := !b.Until.IsZero() && !b.Until.After(a.From)
			if !aEnds && !bEnds {
				return fieldErr("members.tsv", b.Line, 4, "from", fmt.Errorf("%s in %s: spell overlaps the one on line %d", b.State, b.Bloc, a.Line))
			}
		}
	}
	return nil
}

// eachRow calls fn for each data row of a TSV file: lines starting with # are comments,
// the first other line is the header, and every row must have n fields.
func eachRow(data []byte, file string, n int, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line, header := 0, false
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != n {
			return &entente.ParseError{File: file, Line: line, Err: fmt.Errorf("%w: %d fields, want %d", entente.ErrFieldCount, len(f), n)}
		}
		if !header {
			header = true
			continue
		}
		if err := fn(line, f); err != nil {
			return err
		}
	}
	if !header {
		return &entente.ParseError{File: file, Line: 1, Err: entente.ErrEmpty}
	}
	return sc.Err()
}

func fieldErr(file string, line, col int, field string, err error) error {
	return &entente.ParseError{File: file, Line: line, Column: col, Field: field, Err: err}
}
