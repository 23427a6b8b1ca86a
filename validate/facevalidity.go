package validate

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Verbs of face-validity assertions. In each, SUBJECTS is one registry ID or several
// joined by commas, and the assertion must hold for every subject.
const (
	VerbBelow          = "below"           // SUBJECTS below Y: score strictly lower than Y's
	VerbAbove          = "above"           // SUBJECTS above Y: score strictly higher than Y's
	VerbFirst          = "first"           // no state scores higher
	VerbLast           = "last"            // no state scores lower
	VerbTop            = "top"             // top N: fewer than N states score higher
	VerbBottom         = "bottom"          // bottom N: fewer than N states score lower
	VerbTopFraction    = "top_fraction"    // top_fraction F: (states higher + 1) / n ≤ F
	VerbBottomFraction = "bottom_fraction" // bottom_fraction F: (states lower + 1) / n ≤ F
	VerbClass          = "class"           // class C1,C2: the class is one of them
	VerbNotClass       = "not_class"       // not_class C1,C2: the class is none of them
	VerbFellSince      = "fell_since"      // fell_since DATE: score at AT < score at DATE
	VerbRoseSince      = "rose_since"      // rose_since DATE: score at AT > score at DATE
)

// Assertion is one line of a face-validity file.
type Assertion struct {
	File, Text string
	Line       int
	Focal      string
	AtSpec     string    // as written: YYYY, YYYY-MM or YYYY-MM-DD
	At         time.Time // the exclusive end of that date spec
	Subjects   []string
	Verb       string
	Other      string    // below, above
	N          int       // top, bottom
	Fraction   float64   // top_fraction, bottom_fraction
	Classes    []string  // class, not_class; underscores in the file read as spaces
	Since      time.Time // fell_since, rose_since: exclusive end of the earlier date spec
	SinceSpec  string
	Sources    []string // source names, each defined in the file
}

// FaceValidity is a parsed face-validity file.
type FaceValidity struct {
	Sources    map[string]Source
	Assertions []Assertion
}

// ParseFaceValidity reads a face-validity file. The format, one item per line:
//
//	# a comment
//	source NAME: URL | title | YYYY-MM-DD
//	FOCAL AT SUBJECTS VERB [ARGS] [NAME,NAME...]
//
// e.g. "RUS 2023 UKR below HUN [war]", "TUR 2025 ARM,GRC,CYP not_class ally,partner [s]",
// "IND 2025 PAK bottom_fraction 0.1 [s]", "RUS 2025 SYR fell_since 2024 [s]". AT and the
// date of fell_since/rose_since are date specs (YYYY, YYYY-MM, YYYY-MM-DD) standing for
// the evidence up to their end, as `entente rank --at` reads them. Every assertion names
// at least one source, and every source name it uses must be defined earlier in the file.
// Errors are *ParseError with file, line and column.
func ParseFaceValidity(r io.Reader, file string) (*FaceValidity, error) {
	fv := &FaceValidity{Sources: map[string]Source{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		trim := strings.TrimSpace(text)
		if trim == "" || strings.HasPrefix(trim, "#") {
			continue
		}
		if strings.HasPrefix(trim, "source ") {
			name, src, err := parseSourceLine(trim, file, line)
			if err != nil {
				return nil, err
			}
			if _, dup := fv.Sources[name]; dup {
				return nil, &ParseError{File: file, Line: line, Column: 8, Field: "source", Msg: fmt.Sprintf("%q defined twice", name)}
			}
			fv.Sources[name] = src
			continue
		}
		a, err := parseAssertion(text, file, line, fv.Sources)
		if err != nil {
			return nil, err
		}
		fv.Assertions = append(fv.Assertions, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return fv, nil
}

func parseSourceLine(text, file string, line int) (string, Source, error) {
	rest := strings.TrimPrefix(text, "source ")
	name, val, ok := strings.Cut(rest, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t,[]") {
		return "", Source{}, &ParseError{File: file, Line: line, Column: 8, Field: "source", Msg: "want \"source NAME: URL | title | date\" with a NAME free of spaces, commas and brackets"}
	}
	src, msg := parseSource(strings.TrimSpace(val))
	if msg != "" {
		return "", Source{}, &ParseError{File: file, Line: line, Column: len("source ") + len(name) + 3, Field: "source " + name, Msg: msg}
	}
	return name, src, nil
}

// token is a whitespace-separated word with its 1-based column.
type token struct {
	s   string
	col int
}

func tokens(text string) []token {
	var out []token
	start := -1
	for i := 0; i <= len(text); i++ {
		space := i == len(text) || text[i] == ' ' || text[i] == '\t'
		if space && start >= 0 {
			out = append(out, token{text[start:i], start + 1})
			start = -1
		} else if !space && start < 0 {
			start = i
		}
	}
	return out
}

func parseAssertion(text, file string, line int, sources map[string]Source) (Assertion, error) {
	a := Assertion{File: file, Line: line, Text: strings.TrimSpace(text)}
	toks := tokens(text)
	perr := func(col int, field, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if len(toks) < 5 {
		return a, perr(0, "", "want FOCAL AT SUBJECTS VERB [ARGS] [SOURCES], got %d words", len(toks))
	}
	last := toks[len(toks)-1]
	if !strings.HasPrefix(last.s, "[") || !strings.HasSuffix(last.s, "]") || len(last.s) < 3 {
		return a, perr(last.col, "sources", "want [NAME,...] at the end of the line, got %q", last.s)
	}
	for _, name := range strings.Split(last.s[1:len(last.s)-1], ",") {
		if _, ok := sources[name]; !ok {
			return a, perr(last.col, "sources", "source %q is not defined above", name)
		}
		a.Sources = append(a.Sources, name)
	}
	toks = toks[:len(toks)-1]
	if !validID(toks[0].s) {
		return a, perr(toks[0].col, "focal", "%q is not a registry ID (three upper-case letters)", toks[0].s)
	}
	a.Focal = toks[0].s
	at, err := entente.ParseDateSpec(toks[1].s)
	if err != nil {
		return a, perr(toks[1].col, "at", "%q: want YYYY, YYYY-MM or YYYY-MM-DD", toks[1].s)
	}
	a.AtSpec, a.At = toks[1].s, at.End
	for _, s := range strings.Split(toks[2].s, ",") {
		if !validID(s) {
			return a, perr(toks[2].col, "subjects", "%q is not a registry ID (three upper-case letters)", s)
		}
		if s == a.Focal {
			return a, perr(toks[2].col, "subjects", "%s is the focal state", s)
		}
		a.Subjects = append(a.Subjects, s)
	}
	a.Verb = toks[3].s
	args := toks[4:]
	want := func(n int) error {
		if len(args) != n {
			return perr(toks[3].col, "verb", "%s takes %d argument(s), got %d", a.Verb, n, len(args))
		}
		return nil
	}
	switch a.Verb {
	case VerbBelow, VerbAbove:
		if err := want(1); err != nil {
			return a, err
		}
		if !validID(args[0].s) {
			return a, perr(args[0].col, a.Verb, "%q is not a registry ID (three upper-case letters)", args[0].s)
		}
		a.Other = args[0].s
	case VerbFirst, VerbLast:
		if err := want(0); err != nil {
			return a, err
		}
	case VerbTop, VerbBottom:
		if err := want(1); err != nil {
			return a, err
		}
		n, err := strconv.Atoi(args[0].s)
		if err != nil || n < 1 {
			return a, perr(args[0].col, a.Verb, "%q: want a positive whole number", args[0].s)
		}
		a.N = n
	case VerbTopFraction, VerbBottomFraction:
		if err := want(1); err != nil {
			return a, err
		}
		f, err := strconv.ParseFloat(args[0].s, 64)
		if err != nil || !(f > 0 && f <= 1) {
			return a, perr(args[0].col, a.Verb, "%q: want a fraction in (0, 1]", args[0].s)
		}
		a.Fraction = f
	case VerbClass, VerbNotClass:
		if err := want(1); err != nil {
			return a, err
		}
		for _, c := range strings.Split(args[0].s, ",") {
			if c == "" {
				return a, perr(args[0].col, a.Verb, "empty class name in %q", args[0].s)
			}
			a.Classes = append(a.Classes, strings.ReplaceAll(c, "_", " "))
		}
	case VerbFellSince, VerbRoseSince:
		if err := want(1); err != nil {
			return a, err
		}
		d, err := entente.ParseDateSpec(args[0].s)
		if err != nil {
			return a, perr(args[0].col, a.Verb, "%q: want YYYY, YYYY-MM or YYYY-MM-DD", args[0].s)
		}
		if !d.End.Before(a.At) {
			return a, perr(args[0].col, a.Verb, "%s is not before %s", args[0].s, a.AtSpec)
		}
		a.Since, a.SinceSpec = d.End, args[0].s
	default:
		return a, perr(toks[3].col, "verb", "unknown verb %q: want below, above, first, last, top, bottom, top_fraction, bottom_fraction, class, not_class, fell_since or rose_since", a.Verb)
	}
	return a, nil
}

// Status is the outcome of one assertion.
type Status int8

// Statuses of an assertion: Unknown when a state it names has no score.
const (
	Pass Status = iota
	Fail
	Unknown
)

// String returns pass, fail or unknown.
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	}
	return "unknown"
}

// Check is one assertion's evaluation.
type Check struct {
	Assertion *Assertion
	Status    Status
	Detail    string // the ranks and scores behind the status
	Err       error  // the ranker's error, if any (Status is then Unknown)
}

// ranking is a ranker's output ordered for rank questions.
type ranking struct {
	byID   map[string]Ranked
	scores []float64 // ascending
}

func newRanking(rs []Ranked) *ranking {
	r := &ranking{byID: map[string]Ranked{}}
	for _, x := range rs {
		if math.IsNaN(x.Score) {
			continue
		}
		r.byID[x.ID] = x
		r.scores = append(r.scores, x.Score)
	}
	sort.Float64s(r.scores)
	return r
}

// higher and lower count the states scoring strictly above and below v.
func (r *ranking) higher(v float64) int {
	return len(r.scores) - sort.Search(len(r.scores), func(i int) bool { return r.scores[i] > v })
}
func (r *ranking) lower(v float64) int {
	return sort.Search(len(r.scores), func(i int) bool { return r.scores[i] >= v })
}

func (r *ranking) describe(id string) string {
	x, ok := r.byID[id]
	if !ok {
		return id + " unscored"
	}
	s := fmt.Sprintf("%s #%d of %d (%.3f", id, r.higher(x.Score)+1, len(r.scores), x.Score)
	if x.Class != "" {
		s += " " + x.Class
	}
	return s + ")"
}

// Evaluate checks every assertion of fv with ranker, resolving focal states with
// countries. Rankings are computed once per focal state and date. A cancelled ctx ends it
// with an error; a focal state that does not resolve or a ranker error makes that
// assertion Unknown with Err set.
func Evaluate(ctx context.Context, fv *FaceValidity, countries entente.CountryService, ranker Ranker) ([]Check, error) {
	type key struct {
		focal string
		at    time.Time
	}
	type entry struct {
		r   *ranking
		err error
	}
	cache := map[key]entry{}
	get := func(focal string, at time.Time) (*ranking, error) {
		k := key{focal, at}
		if e, ok := cache[k]; ok {
			return e.r, e.err
		}
		var e entry
		fc, err := resolveFocal(countries, focal, at)
		if err != nil {
			e.err = fmt.Errorf("focal %s: %w", focal, err)
		} else if rs, err := ranker(ctx, fc, at); err != nil {
			e.err = err
		} else {
			e.r = newRanking(rs)
		}
		cache[k] = e
		return e.r, e.err
	}
	checks := make([]Check, 0, len(fv.Assertions))
	for i := range fv.Assertions {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a := &fv.Assertions[i]
		r, err := get(a.Focal, a.At)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			checks = append(checks, Check{Assertion: a, Status: Unknown, Err: err, Detail: err.Error()})
			continue
		}
		var earlier *ranking
		if a.Verb == VerbFellSince || a.Verb == VerbRoseSince {
			earlier, err = get(a.Focal, a.Since)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				checks = append(checks, Check{Assertion: a, Status: Unknown, Err: err, Detail: err.Error()})
				continue
			}
		}
		checks = append(checks, check(a, r, earlier))
	}
	return checks, nil
}

// check evaluates a on r (and, for fell_since/rose_since, earlier): every subject must
// pass; a subject without a score makes the check Unknown unless another already failed.
func check(a *Assertion, r, earlier *ranking) Check {
	c := Check{Assertion: a, Status: Pass}
	var details []string
	for _, id := range a.Subjects {
		st, d := checkOne(a, id, r, earlier)
		details = append(details, d)
		switch {
		case st == Fail:
			c.Status = Fail
		case st == Unknown && c.Status == Pass:
			c.Status = Unknown
		}
	}
	c.Detail = strings.Join(details, "; ")
	return c
}

func checkOne(a *Assertion, id string, r, earlier *ranking) (Status, string) {
	x, ok := r.byID[id]
	if !ok {
		return Unknown, id + " unscored"
	}
	verdict := func(ok bool, detail string) (Status, string) {
		if ok {
			return Pass, detail
		}
		return Fail, detail
	}
	n := len(r.scores)
	switch a.Verb {
	case VerbBelow, VerbAbove:
		y, ok := r.byID[a.Other]
		d := r.describe(id) + " vs " + r.describe(a.Other)
		if !ok {
			return Unknown, d
		}
		if a.Verb == VerbBelow {
			return verdict(x.Score < y.Score, d)
		}
		return verdict(x.Score > y.Score, d)
	case VerbFirst:
		return verdict(r.higher(x.Score) == 0, r.describe(id))
	case VerbLast:
		return verdict(r.lower(x.Score) == 0, r.describe(id))
	case VerbTop:
		return verdict(r.higher(x.Score) < a.N, r.describe(id))
	case VerbBottom:
		return verdict(r.lower(x.Score) < a.N, r.describe(id))
	case VerbTopFraction:
		f := float64(r.higher(x.Score)+1) / float64(n)
		return verdict(f <= a.Fraction, fmt.Sprintf("%s, top fraction %.3f", r.describe(id), f))
	case VerbBottomFraction:
		f := float64(r.lower(x.Score)+1) / float64(n)
		return verdict(f <= a.Fraction, fmt.Sprintf("%s, bottom fraction %.3f", r.describe(id), f))
	case VerbClass, VerbNotClass:
		in := false
		for _, c := range a.Classes {
			if x.Class == c {
				in = true
			}
		}
		if a.Verb == VerbClass {
			return verdict(in, r.describe(id))
		}
		return verdict(!in, r.describe(id))
	case VerbFellSince, VerbRoseSince:
		y, ok := earlier.byID[id]
		if !ok {
			return Unknown, fmt.Sprintf("%s; at %s unscored", r.describe(id), a.SinceSpec)
		}
		d := fmt.Sprintf("%s; at %s: %s", r.describe(id), a.SinceSpec, earlier.describe(id))
		if a.Verb == VerbFellSince {
			return verdict(x.Score < y.Score, d)
		}
		return verdict(x.Score > y.Score, d)
	}
	return Unknown, "BUG: unknown verb " + a.Verb
}
