package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/entente/entente"
)

// Act is one ledger entry: the domain act, the unit of its magnitude (the domain act has
// no field for it) and where each field was written, so that checks made after parsing
// (states, clock, duplicate ids) point at the offending line.
type Act struct {
	entente.Act
	Unit string // unit of Magnitude, as written ("troops", "USD bn"); "" if none
	// Mutual (mutual: true) marks one act of both parties, such as a treaty both sign: it
	// is recorded once, under either party as actor, and binds both. The balances read
	// acts in both directions, so a mutual act counts once for the dyad.
	Mutual bool
	// OneSided (mutual: false) says the act is the actor's alone, so that an act of the
	// same kind and date with the parties swapped is a separate act (each side's strike
	// in an exchange of fire), not a mirrored copy of a mutual one.
	OneSided bool
	Pos      map[string]Pos // field name ("id", "date", "sources[0].published", ...) -> position
}

// Pos is a 1-based line and column in a ledger file.
type Pos struct{ Line, Column int }

// Domain returns the domain acts of a ledger.
func Domain(acts []Act) []entente.Act {
	out := make([]entente.Act, len(acts))
	for i, a := range acts {
		out[i] = a.Act
	}
	return out
}

// MaxFileSize bounds a ledger file; a larger one is refused rather than read.
const MaxFileSize = 16 << 20

var (
	actFields    = []string{"id", "date", "end", "actor", "counterpart", "mutual", "kind", "stance", "magnitude", "unit", "summary", "sources"}
	sourceFields = []string{"url", "title", "publisher", "published", "checked", "quote"}
	idPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	yamlLine     = regexp.MustCompile(`line (\d+)`)
)

// Parse reads one ledger file: a YAML list of acts (docs/ledger.md). It returns the acts
// that are well formed and one error for each problem, each an *entente.ParseError
// naming file, line and field. An act with an error is left out of the result, so the
// result and the errors together account for every entry. Parse checks what the file
// alone can tell; Check validates states, the clock and id uniqueness.
func Parse(r io.Reader, file string) ([]Act, []error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, []error{fmt.Errorf("read ledger %s: %w", file, err)}
	}
	if len(data) > MaxFileSize {
		return nil, []error{&entente.ParseError{File: file, Err: fmt.Errorf("%w: file larger than %d bytes", ErrFileShape, MaxFileSize)}}
	}
	if !utf8.Valid(data) {
		return nil, []error{&entente.ParseError{File: file, Err: entente.ErrNotUTF8}}
	}
	root, perr := decodeOne(data, file)
	if perr != nil {
		return nil, []error{perr}
	}
	if root.Kind != yaml.SequenceNode {
		return nil, []error{errAt(file, root, "", fmt.Errorf("%w: a ledger file is a list of acts (each starting with \"- id:\")", ErrFileShape))}
	}
	p := &parser{file: file}
	acts := make([]Act, 0, len(root.Content))
	for _, n := range root.Content {
		before := len(p.errs)
		a := p.act(n)
		if len(p.errs) == before {
			acts = append(acts, a)
		}
	}
	return acts, p.errs
}

// decodeOne decodes the single YAML document of a file and refuses anchors and aliases,
// which make a plain-text ledger harder to review.
func decodeOne(data []byte, file string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &entente.ParseError{File: file, Err: entente.ErrEmpty}
		}
		return nil, syntaxError(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &entente.ParseError{File: file, Err: entente.ErrEmpty}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, syntaxError(file, err)
		}
		return nil, errAt(file, &next, "", fmt.Errorf("%w: more than one YAML document; put all acts in one list", ErrFileShape))
	}
	if n := findAlias(doc.Content[0]); n != nil {
		return nil, errAt(file, n, "", fmt.Errorf("%w: anchors and aliases are not allowed; write each value out", ErrFileShape))
	}
	return doc.Content[0], nil
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// syntaxError turns a yaml.v3 error ("yaml: line 7: mapping values are not allowed in
// this context") into a ParseError at that line.
func syntaxError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0]+": ")
	}
	if strings.Contains(msg, "block sequence entries are not allowed") {
		msg += ` (write a hostile stance as "-" in quotes, or as hostile)`
	}
	return &entente.ParseError{File: file, Line: line, Err: fmt.Errorf("%w: %s", ErrSyntax, msg)}
}

func errAt(file string, n *yaml.Node, field string, err error) *entente.ParseError {
	return &entente.ParseError{File: file, Line: n.Line, Column: n.Column, Field: field, Err: err}
}

type parser struct {
	file string
	errs []error
}

func (p *parser) fail(n *yaml.Node, field string, err error) {
	p.errs = append(p.errs, errAt(p.file, n, field, err))
}

// fields maps each key of a mapping node to its value node, reporting unknown and
// repeated keys. known is in the order fields are documented.
func (p *parser) fields(n *yaml.Node, prefix string, known []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		switch {
		case k.Kind != yaml.ScalarNode:
			p.fail(k, prefix, fmt.Errorf("%w: a key must be a plain name", ErrShape))
		case !contains(known, name):
			p.fail(k, prefix+name, fmt.Errorf("%w %q%s; known fields: %s", ErrUnknownField, name, suggest(name, known), strings.Join(known, ", ")))
		case out[name] != nil:
			p.fail(k, prefix+name, ErrRepeatedField)
		default:
			out[name] = v
		}
	}
	return out
}

// scalar returns the text of a field's scalar value; ok is false (and an error is
// recorded) when the value is not a scalar. A null or absent value is "", true.
func (p *parser) scalar(v *yaml.Node, field string) (string, bool) {
	if v == nil || v.Tag == "!!null" {
		return "", true
	}
	if v.Kind != yaml.ScalarNode {
		p.fail(v, field, fmt.Errorf("%w: want a single value, not a list or a mapping", ErrBadValue))
		return "", false
	}
	return strings.TrimSpace(v.Value), true
}

// required returns the scalar text of a required field, recording an error at the field
// (or, if absent, at the act) when it is missing or empty.
func (p *parser) required(act *yaml.Node, f map[string]*yaml.Node, field string) (string, bool) {
	s, ok := p.scalar(f[field], field)
	if !ok {
		return "", false
	}
	if s == "" {
		at := act
		if f[field] != nil {
			at = f[field]
		}
		p.fail(at, field, ErrMissingField)
		return "", false
	}
	return s, true
}

func (p *parser) act(n *yaml.Node) Act {
	a := Act{Pos: map[string]Pos{}}
	a.File, a.Line = p.file, n.Line
	if n.Kind != yaml.MappingNode {
		p.fail(n, "", fmt.Errorf("%w: each act is a mapping of fields (id: ..., date: ...)", ErrShape))
		return a
	}
	f := p.fields(n, "", actFields)
	for name, v := range f {
		a.Pos[name] = Pos{v.Line, v.Column}
	}
	if id, ok := p.required(n, f, "id"); ok {
		if idPattern.MatchString(id) {
			a.ID = id
		} else {
			p.fail(f["id"], "id", fmt.Errorf("%w %q: use lower-case letters, digits, '-', '_' and '.'", ErrBadValue, id))
		}
	}
	if s, ok := p.required(n, f, "date"); ok {
		if d, err := parseDate(s); err != nil {
			p.fail(f["date"], "date", err)
		} else {
			a.Date, a.Precision = d.Start, d.Precision
		}
	}
	if s, ok := p.scalar(f["end"], "end"); ok && s != "" {
		if d, err := parseDate(s); err != nil {
			p.fail(f["end"], "end", err)
		} else {
			a.End = d.End.AddDate(0, 0, -1) // the last day the spec covers
			if !a.Date.IsZero() && a.End.Before(a.Date) {
				p.fail(f["end"], "end", fmt.Errorf("%w: end %s is before date %s", ErrEndBeforeStart, s, a.Date.Format("2006-01-02")))
			}
		}
	}
	a.Actor, _ = p.required(n, f, "actor")
	a.Counterpart, _ = p.required(n, f, "counterpart")
	if v := f["mutual"]; v != nil {
		switch b, ok := boolValue(v); {
		case !ok:
			p.fail(v, "mutual", fmt.Errorf("%w %q: want true (one act of both parties) or false (the actor's alone)", ErrBadValue, v.Value))
		case b:
			a.Mutual = true
		default:
			a.OneSided = true
		}
	}
	if k, ok := p.required(n, f, "kind"); ok {
		if _, known := entente.ActKinds[k]; known {
			a.Kind = k
		} else {
			p.fail(f["kind"], "kind", fmt.Errorf("%w %q%s", ErrUnknownKind, k, suggest(k, kindNames())))
		}
	}
	p.stance(n, f, &a)
	p.magnitude(f, &a)
	if s, ok := p.required(n, f, "summary"); ok {
		if strings.ContainsAny(s, "\r\n") {
			p.fail(f["summary"], "summary", fmt.Errorf("%w: the summary is one line", ErrBadValue))
		}
		a.Summary = s
	}
	a.Sources = p.sources(n, f["sources"], &a)
	return a
}

func (p *parser) stance(n *yaml.Node, f map[string]*yaml.Node, a *Act) {
	s, ok := p.scalar(f["stance"], "stance")
	if !ok {
		return
	}
	switch strings.ToLower(s) {
	case "+", "cooperative":
		a.Stance = entente.Cooperative
	case "-", "hostile":
		a.Stance = entente.Hostile
	case "":
		if d, ok := DefaultStance[a.Kind]; ok {
			a.Stance = d
		} else if a.Kind != "" {
			at := n
			if f["stance"] != nil {
				at = f["stance"]
			}
			p.fail(at, "stance", fmt.Errorf("%w: kind %s has no default stance; give \"+\" or \"-\"", ErrMissingField, a.Kind))
		}
	default:
		p.fail(f["stance"], "stance", fmt.Errorf("%w %q: want \"+\" or cooperative, \"-\" or hostile", ErrBadStance, s))
	}
}

func (p *parser) magnitude(f map[string]*yaml.Node, a *Act) {
	if s, ok := p.scalar(f["magnitude"], "magnitude"); ok && s != "" {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || x < 0 {
			p.fail(f["magnitude"], "magnitude", fmt.Errorf("%w %q: want a non-negative number; put the unit in unit:", entente.ErrBadNumber, s))
		} else {
			a.Magnitude = x
		}
	}
	if s, ok := p.scalar(f["unit"], "unit"); ok {
		if s != "" && f["magnitude"] == nil {
			p.fail(f["unit"], "unit", fmt.Errorf("%w: a unit without a magnitude", ErrBadValue))
		}
		a.Unit = s
	}
}

func (p *parser) sources(act, v *yaml.Node, a *Act) []entente.Citation {
	if v == nil || v.Tag == "!!null" || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		at := act
		if v != nil {
			at = v
		}
		p.fail(at, "sources", fmt.Errorf("%w: every act needs at least one source", ErrMissingSource))
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.fail(v, "sources", fmt.Errorf("%w: sources is a list (each source starting with \"- url:\" or \"- title:\")", ErrShape))
		return nil
	}
	out := make([]entente.Citation, 0, len(v.Content))
	for i, s := range v.Content {
		prefix := fmt.Sprintf("sources[%d].", i)
		if s.Kind != yaml.MappingNode {
			p.fail(s, "sources", fmt.Errorf("%w: each source is a mapping (url:, title:, publisher:, published:, checked:)", ErrShape))
			continue
		}
		f := p.fields(s, prefix, sourceFields)
		for name, n := range f {
			a.Pos[prefix+name] = Pos{n.Line, n.Column}
		}
		out = append(out, p.source(s, f, prefix))
	}
	return out
}

func (p *parser) source(s *yaml.Node, f map[string]*yaml.Node, prefix string) entente.Citation {
	var c entente.Citation
	c.URL, _ = p.scalar(f["url"], prefix+"url")
	c.Title, _ = p.scalar(f["title"], prefix+"title")
	c.Publisher, _ = p.scalar(f["publisher"], prefix+"publisher")
	c.Quote, _ = p.scalar(f["quote"], prefix+"quote")
	published, _ := p.scalar(f["published"], prefix+"published")
	if published != "" {
		if d, err := parseDate(published); err != nil {
			p.fail(f["published"], prefix+"published", err)
		} else {
			c.Published = d.Start
		}
	}
	if v := f["checked"]; v != nil {
		if b, ok := boolValue(v); ok {
			c.Checked = b
		} else {
			p.fail(v, prefix+"checked", fmt.Errorf("%w %q: want true or false", ErrBadValue, v.Value))
		}
	}
	if c.URL != "" {
		if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.fail(f["url"], prefix+"url", fmt.Errorf("%w: url %q is not an http(s) address", ErrBadSource, c.URL))
		}
		return c
	}
	var missing []string
	for _, k := range []struct{ name, v string }{{"title", c.Title}, {"publisher", c.Publisher}, {"published", published}} {
		if k.v == "" {
			missing = append(missing, k.name)
		}
	}
	if len(missing) > 0 {
		p.fail(s, strings.TrimSuffix(prefix, "."), fmt.Errorf("%w: without a url, a source needs title, publisher and published (missing %s)", ErrBadSource, strings.Join(missing, ", ")))
	}
	return c
}

func parseDate(s string) (entente.DateSpec, error) {
	d, err := entente.ParseDateSpec(s)
	if err != nil {
		return d, fmt.Errorf("%w %q: want YYYY, YYYY-MM or YYYY-MM-DD", entente.ErrBadDate, s)
	}
	return d, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindNames() []string {
	out := make([]string, 0, len(entente.ActKinds))
	for k := range entente.ActKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns `; did you mean "x"?` for the closest known name within two edits.
func suggest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(strings.ToLower(s), k); d < bestD || (d == bestD && best != "" && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// distance is the Levenshtein distance of a and b (bytes; names here are ASCII).
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// boolValue reads a YAML boolean scalar (true or false, any case); ok is false for
// anything else.
func boolValue(v *yaml.Node) (b, ok bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		return false, false
	}
	switch {
	case strings.EqualFold(v.Value, "true"):
		return true, true
	case strings.EqualFold(v.Value, "false"):
		return false, true
	}
	return false, false
}
