// Package scenariotest runs scenario files against the index engine: small tests of
// the method written as text (load facts, evaluate at a date, expect rows), kept apart
// from the engine as Prometheus keeps promqltest apart from PromQL, so that the engine
// package holds only the method and a scenario reads as a specification.
package scenariotest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// A Scenario is a small test of the engine written as text, in the manner of
// Prometheus' promqltest: it loads facts into a store, evaluates the index at dates and
// states the expected classes, orderings, signals and change points. The language is
// documented in docs/index.md ("Scenario files"); in short:
//
//	# comment
//	config weight.third=0.75 halflife=2          # override index.Config values
//	load
//	  states RUS BLR USA                          # columns of the roll calls that follow
//	  rollcall 2024-03-01 x20 y y n               # 20 roll calls, one a day: y a n or - (absent)
//	  event 2024-05-10 RUS BLR goldstein=4 sources=10 count=3
//	  aid 2023-06 USA UKR 2.5 military
//	  alliance 2015 RUS BLR defense               # both directions, that year
//	  member NATO FIN 2023-04-04 [until=2024-01-01] [status=suspended]
//	  act 2024-06-19 PRK RUS alliance_treaty + [end=2025-04-30]
//	eval RUS at 2024                              # at: YYYY, YYYY-MM or YYYY-MM-DD, as rank --at
//	  expect class BLR ally
//	  expect order BLR > CHN > USA
//	  expect score USA < -0.3
//	  expect signal USA ledger < 0
//	  expect missing BLR alliances
//	  expect flag FIN NATO | expect noflag ARM CSTO | expect unknown XKX
//	drift RUS from 2016 to 2025
//	  expect change ARM down 2022..2025
//	  expect nochange BLR
type Scenario struct {
	Name  string
	cfg   []string // name=value settings
	votes []scVote
	ties  []any // entente.AllianceTie, entente.Membership, entente.Act
	evs   []any // entente.Event, entente.Aid
	steps []scStep
}

type scVote struct {
	rc    entente.RollCall
	votes map[string]entente.VoteValue
}

type scStep struct {
	line    int
	kind    string // eval or drift
	focal   string
	at      time.Time
	from    time.Time
	expects []scExpect
}

type scExpect struct {
	line int
	args []string
}

// ParseScenario reads a scenario. Errors name the file and line.
func ParseScenario(r io.Reader, name string) (*Scenario, error) {
	s := &Scenario{Name: name}
	sc := bufio.NewScanner(r)
	line := 0
	var states []string
	section := ""
	rc := 0
	fail := func(format string, args ...any) error {
		return entente.Errorf(entente.EINVALID, "%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		indented := text[0] == ' ' || text[0] == '\t'
		if !indented {
			section = f[0]
			switch f[0] {
			case "config":
				s.cfg = append(s.cfg, f[1:]...)
			case "load":
			case "eval", "drift":
				st := scStep{line: line, kind: f[0]}
				if len(f) < 4 {
					return nil, fail("want %s FOCAL at DATE or drift FOCAL from DATE to DATE", f[0])
				}
				st.focal = f[1]
				for i := 2; i+1 < len(f); i += 2 {
					d, err := entente.ParseDateSpec(f[i+1])
					if err != nil {
						return nil, fail("%s", err)
					}
					switch f[i] {
					case "at", "to":
						st.at = d.End
					case "from":
						st.from = d.Start
					default:
						return nil, fail("unknown word %q", f[i])
					}
				}
				s.steps = append(s.steps, st)
			default:
				return nil, fail("unknown section %q: want config, load, eval or drift", f[0])
			}
			continue
		}
		switch section {
		case "load":
			switch f[0] {
			case "states":
				states = f[1:]
			case "rollcall":
				if len(f) < 2 {
					return nil, fail("want rollcall DATE [xN] VOTES...")
				}
				day, err := entente.ParseDay(f[1])
				if err != nil {
					return nil, fail("%s", err)
				}
				rest, times := f[2:], 1
				if len(rest) > 0 && strings.HasPrefix(rest[0], "x") {
					if times, err = strconv.Atoi(rest[0][1:]); err != nil || times < 1 {
						return nil, fail("bad repeat %q", rest[0])
					}
					rest = rest[1:]
				}
				if len(rest) != len(states) {
					return nil, fail("%d votes for %d states", len(rest), len(states))
				}
				for k := range times {
					rc++
					v := scVote{rc: entente.RollCall{Source: entente.SourceVoeten, ID: strconv.Itoa(rc), Date: day.AddDate(0, 0, k), Session: day.Year() - 1945}, votes: map[string]entente.VoteValue{}}
					for i, x := range rest {
						switch x {
						case "y":
							v.votes[states[i]] = entente.Yes
						case "a":
							v.votes[states[i]] = entente.Abstain
						case "n":
							v.votes[states[i]] = entente.No
						case "-":
						default:
							return nil, fail("vote %q: want y, a, n or -", x)
						}
					}
					s.votes = append(s.votes, v)
				}
			case "event":
				if len(f) < 4 {
					return nil, fail("want event DATE A B goldstein=G sources=N [count=K]")
				}
				day, err := entente.ParseDay(f[1])
				if err != nil {
					return nil, fail("%s", err)
				}
				kv, err := keyValues(f[4:])
				if err != nil {
					return nil, fail("%s", err)
				}
				g, _ := strconv.ParseFloat(kv["goldstein"], 64)
				src, _ := strconv.Atoi(kv["sources"])
				count := 1
				if c, ok := kv["count"]; ok {
					count, _ = strconv.Atoi(c)
				}
				quad := int8(1)
				if g < 0 {
					quad = 3
				}
				for range count {
					id := int64(len(s.evs) + 1)
					s.evs = append(s.evs, entente.Event{Source: entente.SourceGDELT2, ID: id, Day: day, DateAdded: 20000000000000 + id,
						Actor1: f[2], Actor2: f[3], Actor1Code: f[2], Actor2Code: f[3], EventCode: "040", RootCode: "04", Quad: quad,
						Goldstein: float32(g), NumMentions: int32(src), NumSources: int32(src), NumArticles: int32(src),
						URL: fmt.Sprintf("https://example.org/%s/%d", name, id), Line: line})
				}
			case "aid":
				if len(f) < 5 {
					return nil, fail("want aid YYYY-MM DONOR RECIPIENT EURBN [KIND]")
				}
				m, err := time.Parse("2006-01", f[1])
				if err != nil {
					return nil, fail("bad month %q", f[1])
				}
				v, err := strconv.ParseFloat(f[4], 64)
				if err != nil {
					return nil, fail("bad amount %q", f[4])
				}
				kind := "military"
				if len(f) > 5 {
					kind = f[5]
				}
				s.evs = append(s.evs, entente.Aid{Donor: f[2], Recipient: f[3], Month: m, Kind: kind, EURbn: v, Line: line,
					Cite: entente.Citation{Title: "scenario " + name, Publisher: "entente tests", Published: m}})
			case "alliance":
				if len(f) < 5 {
					return nil, fail("want alliance YEAR A B defense|neutral|nonagg|consult|none")
				}
				y, err := strconv.Atoi(f[1])
				if err != nil {
					return nil, fail("bad year %q", f[1])
				}
				switch f[4] {
				case "defense", "neutral", "nonagg", "consult", "none":
				default:
					return nil, fail("bad obligation %q", f[4])
				}
				s.ties = append(s.ties, scAlliance{year: y, a: f[2], b: f[3], obligation: f[4], line: line})
			case "member":
				if len(f) < 4 {
					return nil, fail("want member BLOC STATE FROM [until=DATE] [status=S]")
				}
				begin, err := entente.ParseDay(f[3])
				if err != nil {
					return nil, fail("%s", err)
				}
				kv, err := keyValues(f[4:])
				if err != nil {
					return nil, fail("%s", err)
				}
				m := entente.Membership{Source: "bloc", State: f[2], Org: f[1], Begin: begin, Status: entente.StatusMember, Line: line,
					Cites: []entente.Citation{{Title: "scenario " + name, Publisher: "entente tests"}}}
				if u, ok := kv["until"]; ok {
					until, err := entente.ParseDay(u)
					if err != nil {
						return nil, fail("%s", err)
					}
					m.End = until.AddDate(0, 0, -1)
				}
				if st, ok := kv["status"]; ok {
					m.Status = st
				}
				s.ties = append(s.ties, m)
			case "act":
				if len(f) < 6 {
					return nil, fail("want act DATE ACTOR COUNTERPART KIND +|- [end=DATE] [id=ID]")
				}
				day, err := entente.ParseDay(f[1])
				if err != nil {
					return nil, fail("%s", err)
				}
				if _, ok := entente.ActKinds[f[4]]; !ok {
					return nil, fail("unknown kind %q", f[4])
				}
				kv, err := keyValues(f[6:])
				if err != nil {
					return nil, fail("%s", err)
				}
				a := entente.Act{ID: fmt.Sprintf("%s-%d", name, line), Date: day, Actor: f[2], Counterpart: f[3], Kind: f[4],
					Summary: strings.Join(f[2:6], " "), File: name, Line: line,
					Sources: []entente.Citation{{URL: fmt.Sprintf("https://example.org/%s/act/%d", name, line), Title: "scenario " + name, Publisher: "entente tests"}}}
				switch f[5] {
				case "+":
					a.Stance = entente.Cooperative
				case "-":
					a.Stance = entente.Hostile
				default:
					return nil, fail("stance %q: want + or -", f[5])
				}
				if v, ok := kv["end"]; ok {
					if a.End, err = entente.ParseDay(v); err != nil {
						return nil, fail("%s", err)
					}
				}
				if v, ok := kv["id"]; ok {
					a.ID = v
				}
				s.ties = append(s.ties, a)
			default:
				return nil, fail("unknown fact %q", f[0])
			}
		case "eval", "drift":
			if f[0] != "expect" || len(f) < 2 {
				return nil, fail("want expect ...")
			}
			st := &s.steps[len(s.steps)-1]
			st.expects = append(st.expects, scExpect{line: line, args: f[1:]})
		default:
			return nil, fail("indented line outside a section")
		}
	}
	return s, sc.Err()
}

func keyValues(f []string) (map[string]string, error) {
	kv := map[string]string{}
	for _, x := range f {
		k, v, ok := strings.Cut(x, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want key=value", x)
		}
		kv[k] = v
	}
	return kv, nil
}

// scAlliance is an alliance tie of both directions in one year, between state IDs.
type scAlliance struct {
	year       int
	a, b       string
	obligation string
	line       int
}

// ties returns the two directed ATOP dyad-years of the tie.
func (al scAlliance) ties(countries entente.CountryService) ([]entente.AllianceTie, error) {
	var out []entente.AllianceTie
	mid := entente.Day(al.year, 7, 1)
	for _, p := range [2][2]string{{al.a, al.b}, {al.b, al.a}} {
		x, ok1 := countries.ByISO3(p[0], mid)
		y, ok2 := countries.ByISO3(p[1], mid)
		if !ok1 || !ok2 || x.COW == 0 || y.COW == 0 {
			return nil, fmt.Errorf("line %d: no COW number for %s or %s in %d", al.line, p[0], p[1], al.year)
		}
		t := entente.AllianceTie{A: x.COW, B: y.COW, Year: al.year, Line: al.line}
		switch al.obligation {
		case "defense":
			t.Defense = true
		case "neutral":
			t.Neutral = true
		case "nonagg":
			t.NonAgg = true
		case "consult":
			t.Consult = true
		}
		out = append(out, t)
	}
	return out, nil
}

// Config returns the scenario's configuration: base with the scenario's overrides.
func (s *Scenario) Config(base index.Config) (index.Config, error) {
	c := base.Clone()
	return c, c.SetList(strings.Join(s.cfg, ","))
}

// Load writes the scenario's facts into st through its import writers.
func (s *Scenario) Load(ctx context.Context, st entente.Store, countries entente.CountryService) error {
	file := func(src string) entente.ImportFile {
		return entente.ImportFile{Source: src, Path: s.Name, SHA256: src + "-" + s.Name, Size: 1}
	}
	if len(s.votes) > 0 {
		_, err := st.ImportVotes(ctx, func(w entente.VoteWriter) error {
			if err := w.StartFile(file(entente.SourceVoeten)); err != nil {
				return err
			}
			var n int64
			for _, v := range s.votes {
				if err := w.RollCall(v.rc); err != nil {
					return err
				}
				n++
				states := make([]string, 0, len(v.votes))
				for id := range v.votes {
					states = append(states, id)
				}
				slices.Sort(states)
				for _, id := range states {
					c, ok := countries.ByISO3(id, v.rc.Date)
					if !ok || c.COW == 0 {
						return fmt.Errorf("scenario %s: %s has no COW number at %s", s.Name, id, v.rc.Date.Format(time.DateOnly))
					}
					if err := w.Vote(entente.Vote{Source: v.rc.Source, RollCallID: v.rc.ID, CCode: c.COW, ISO3: c.ID, Value: v.votes[id]}); err != nil {
						return err
					}
					n++
				}
			}
			return w.FinishFile(n, nil)
		})
		if err != nil {
			return err
		}
	}
	if len(s.evs) > 0 {
		_, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
			if err := w.StartFile(file(entente.SourceGDELT2)); err != nil {
				return err
			}
			for _, r := range s.evs {
				var err error
				switch r := r.(type) {
				case entente.Event:
					err = w.Event(r)
				case entente.Aid:
					err = w.Aid(r)
				}
				if err != nil {
					return err
				}
			}
			return w.FinishFile(int64(len(s.evs)), nil)
		})
		if err != nil {
			return err
		}
	}
	if len(s.ties) > 0 {
		_, err := st.ImportTies(ctx, func(w entente.TieWriter) error {
			if err := w.StartFile(file(entente.SourceLedger)); err != nil {
				return err
			}
			var n int64
			for _, r := range s.ties {
				var err error
				n++
				switch r := r.(type) {
				case scAlliance:
					var ts []entente.AllianceTie
					if ts, err = r.ties(countries); err == nil {
						n++
						for _, t := range ts {
							if err = w.Alliance(t); err != nil {
								break
							}
						}
					}
				case entente.Membership:
					err = w.Membership(r)
				case entente.Act:
					err = w.Act(r)
				}
				if err != nil {
					return err
				}
			}
			return w.FinishFile(n, nil)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Run evaluates the scenario's steps with e and returns one error per failed
// expectation, each naming the scenario file and line.
func (s *Scenario) Run(ctx context.Context, e *index.Engine) []error {
	var errs []error
	for _, st := range s.steps {
		fail := func(line int, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s:%d: %s", s.Name, line, fmt.Sprintf(format, args...)))
		}
		switch st.kind {
		case "eval":
			r, err := e.Rank(ctx, st.focal, st.at)
			if err != nil {
				fail(st.line, "rank: %v", err)
				continue
			}
			for _, x := range st.expects {
				if err := checkRank(r, x.args); err != nil {
					fail(x.line, "%s\n%s", err, index.FormatRanking(r))
				}
			}
		case "drift":
			d, err := e.Drift(ctx, st.focal, st.from, st.at)
			if err != nil {
				fail(st.line, "drift: %v", err)
				continue
			}
			for _, x := range st.expects {
				if err := checkDrift(d, x.args); err != nil {
					fail(x.line, "%s\n%s", err, index.FormatDrift(d))
				}
			}
		}
	}
	return errs
}

func findScore(r *index.Ranking, id string) (*index.Score, bool) {
	for i := range r.Scores {
		if r.Scores[i].Other.ID == id {
			return &r.Scores[i], true
		}
	}
	return nil, false
}

func compare(x float64, op string, y float64) bool {
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	case ">=":
		return x >= y
	case "=", "==":
		return math.Abs(x-y) < 1e-9
	}
	return false
}

func checkRank(r *index.Ranking, a []string) error {
	must := func(id string) (*index.Score, error) {
		s, ok := findScore(r, id)
		if !ok {
			return nil, fmt.Errorf("%s has no score", id)
		}
		return s, nil
	}
	switch a[0] {
	case "class":
		if len(a) < 3 {
			return fmt.Errorf("want expect class STATE CLASS")
		}
		s, err := must(a[1])
		if err != nil {
			return err
		}
		want := strings.ReplaceAll(strings.Join(a[2:], " "), "_", " ")
		if s.Class != want {
			return fmt.Errorf("class of %s is %q (score %.3f), want %q", a[1], s.Class, s.Score, want)
		}
	case "order":
		var prev *index.Score
		for i := 1; i < len(a); i++ {
			if a[i] == ">" {
				continue
			}
			s, err := must(a[i])
			if err != nil {
				return err
			}
			if prev != nil && !(prev.Score > s.Score) {
				return fmt.Errorf("%s (%.3f) is not above %s (%.3f)", prev.Other.ID, prev.Score, s.Other.ID, s.Score)
			}
			prev = s
		}
	case "score", "signal":
		n := 4
		if a[0] == "signal" {
			n = 5
		}
		if len(a) != n {
			return fmt.Errorf("want expect score STATE OP VALUE or expect signal STATE SIGNAL OP VALUE")
		}
		s, err := must(a[1])
		if err != nil {
			return err
		}
		v, name := s.Score, "score"
		if a[0] == "signal" {
			k := slices.Index(index.Signals, a[2])
			if k < 0 {
				return fmt.Errorf("unknown signal %q", a[2])
			}
			if !s.Signals[k].Available() {
				return fmt.Errorf("%s of %s is unavailable (%s)", a[2], a[1], s.Signals[k].Note)
			}
			v, name = s.Signals[k].Value, a[2]
		}
		y, err := strconv.ParseFloat(a[n-1], 64)
		if err != nil {
			return fmt.Errorf("bad number %q", a[n-1])
		}
		if !compare(v, a[n-2], y) {
			return fmt.Errorf("%s of %s is %.3f, want %s %s", name, a[1], v, a[n-2], a[n-1])
		}
	case "missing", "present":
		if len(a) != 3 {
			return fmt.Errorf("want expect %s STATE SIGNAL", a[0])
		}
		s, err := must(a[1])
		if err != nil {
			return err
		}
		k := slices.Index(index.Signals, a[2])
		if k < 0 {
			return fmt.Errorf("unknown signal %q", a[2])
		}
		if s.Signals[k].Available() != (a[0] == "present") {
			return fmt.Errorf("%s of %s: available %v (%s), want %s", a[2], a[1], s.Signals[k].Available(), s.Signals[k].Note, a[0])
		}
	case "flag", "noflag":
		if len(a) != 3 {
			return fmt.Errorf("want expect %s STATE FLAG", a[0])
		}
		s, err := must(a[1])
		if err != nil {
			return err
		}
		if slices.Contains(s.Flags, a[2]) != (a[0] == "flag") {
			return fmt.Errorf("flags of %s are %v; want %s %s", a[1], s.Flags, a[0], a[2])
		}
	case "unknown":
		if _, ok := findScore(r, a[1]); ok {
			return fmt.Errorf("%s has a score, want unknown", a[1])
		}
	case "interval":
		s, err := must(a[1])
		if err != nil {
			return err
		}
		if !(s.Lo <= s.Score+1e-9 && s.Score <= s.Hi+1e-9) {
			return fmt.Errorf("interval of %s [%.3f, %.3f] does not hold its score %.3f", a[1], s.Lo, s.Hi, s.Score)
		}
	default:
		return fmt.Errorf("unknown expectation %q", a[0])
	}
	return nil
}

func checkDrift(d *index.DriftResult, a []string) error {
	find := func(id string) *index.Mover {
		for i := range d.Movers {
			if d.Movers[i].Other.ID == id {
				return &d.Movers[i]
			}
		}
		return nil
	}
	switch a[0] {
	case "change":
		if len(a) != 4 {
			return fmt.Errorf("want expect change STATE up|down FROM..TO")
		}
		lo, hi, ok := strings.Cut(a[3], "..")
		if !ok {
			return fmt.Errorf("want FROM..TO, got %q", a[3])
		}
		from, err1 := entente.ParseDateSpec(lo)
		to, err2 := entente.ParseDateSpec(hi)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad range %q", a[3])
		}
		m := find(a[1])
		if m == nil {
			return fmt.Errorf("%s has no series", a[1])
		}
		for _, c := range m.Changes {
			if (c.Shift < 0) == (a[2] == "down") && !c.Date.Before(from.Start) && c.Date.Before(to.End) {
				return nil
			}
		}
		return fmt.Errorf("%s has no %s change point in %s: %v", a[1], a[2], a[3], m.Changes)
	case "nochange":
		m := find(a[1])
		if m != nil && len(m.Changes) > 0 {
			return fmt.Errorf("%s has change points %v, want none", a[1], m.Changes)
		}
	default:
		return fmt.Errorf("unknown expectation %q", a[0])
	}
	return nil
}
