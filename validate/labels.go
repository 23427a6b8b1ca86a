package validate

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Group is what a state did on the focal state's cause.
type Group int8

// The groups of a label file. AUC compares With against Against and ignores Neutral
// (abstentions, states that took no side).
const (
	Neutral Group = iota
	With
	Against
)

// String returns the word used in label files.
func (g Group) String() string {
	switch g {
	case With:
		return "with"
	case Against:
		return "against"
	}
	return "neutral"
}

func parseGroup(s string) (Group, bool) {
	switch s {
	case "with":
		return With, true
	case "against":
		return Against, true
	case "neutral":
		return Neutral, true
	}
	return Neutral, false
}

// Label is one state's group in a label set.
type Label struct {
	State string // registry ID
	Group Group
	Line  int
}

// LabelSet is one test: a focal state, the date to predict from, and the groups that a
// later outcome put states in.
type LabelSet struct {
	Name    string // the file name without its extension
	File    string
	Focal   string    // registry ID
	At      time.Time // exclusive end of the evidence: the scorer sees only what came before
	Outcome string    // what happened, when, and which side is which
	Sources []Source
	Labels  []Label // in file order
}

// Count returns how many labels have group g.
func (s *LabelSet) Count(g Group) int {
	n := 0
	for _, l := range s.Labels {
		if l.Group == g {
			n++
		}
	}
	return n
}

// labelHeader is the column header line every label file has after its directives.
const labelHeader = "iso3\tgroup"

// ParseLabels reads a label file. The format:
//
//	# focal: USA
//	# at: 2016-12-21
//	# outcome: A/RES/ES-10/19 (2017-12-21): against = voted yes, with = voted no
//	# source: https://... | title | 2017-12-21
//	# any other line starting with "#" and no "key:" of the above is a comment
//	iso3<TAB>group
//	GTM<TAB>with
//
// focal, at (YYYY-MM-DD) and outcome appear once, source at least once; directives come
// before the header. Groups are with, against or neutral; a state appears once and is
// never the focal state; at least one state is with and one against. Errors are
// *ParseError with the file, line and column.
func ParseLabels(r io.Reader, file string) (*LabelSet, error) {
	set := &LabelSet{File: file, Name: strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	perr := func(line, col int, field, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	line := 0
	header := false
	seen := map[string]int{}
	var haveAt, haveFocal, haveOutcome bool
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if strings.HasPrefix(text, "#") {
			if header {
				continue // comments among the rows
			}
			key, val, ok := directive(text)
			if !ok {
				continue
			}
			col := strings.Index(text, ":") + 3 // 1-based column of the value
			switch key {
			case "focal":
				if haveFocal {
					return nil, perr(line, 3, "focal", "given twice")
				}
				if !validID(val) {
					return nil, perr(line, col, "focal", "%q is not a registry ID (three upper-case letters)", val)
				}
				set.Focal, haveFocal = val, true
			case "at":
				if haveAt {
					return nil, perr(line, 3, "at", "given twice")
				}
				t, err := time.Parse(time.DateOnly, val)
				if err != nil {
					return nil, perr(line, col, "at", "%q: want YYYY-MM-DD", val)
				}
				set.At, haveAt = t, true
			case "outcome":
				if haveOutcome {
					return nil, perr(line, 3, "outcome", "given twice")
				}
				if val == "" {
					return nil, perr(line, col, "outcome", "empty")
				}
				set.Outcome, haveOutcome = val, true
			case "source":
				src, msg := parseSource(val)
				if msg != "" {
					return nil, perr(line, col, "source", "%s", msg)
				}
				set.Sources = append(set.Sources, src)
			}
			continue
		}
		if !header {
			if text != labelHeader {
				return nil, perr(line, 1, "header", "want %q before the rows, got %q", labelHeader, text)
			}
			header = true
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 2 {
			return nil, perr(line, 0, "", "want 2 tab-separated fields (iso3, group), got %d", len(fields))
		}
		id := fields[0]
		if !validID(id) {
			return nil, perr(line, 1, "iso3", "%q is not a registry ID (three upper-case letters)", id)
		}
		g, ok := parseGroup(fields[1])
		if !ok {
			return nil, perr(line, len(id)+2, "group", "%q: want with, against or neutral", fields[1])
		}
		if prev, dup := seen[id]; dup {
			return nil, perr(line, 1, "iso3", "%s already labelled on line %d", id, prev)
		}
		if haveFocal && id == set.Focal {
			return nil, perr(line, 1, "iso3", "%s is the focal state", id)
		}
		seen[id] = line
		set.Labels = append(set.Labels, Label{State: id, Group: g, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	for _, req := range []struct {
		ok   bool
		name string
	}{{haveFocal, "focal"}, {haveAt, "at"}, {haveOutcome, "outcome"}, {len(set.Sources) > 0, "source"}, {header, "header " + fmt.Sprintf("%q", labelHeader)}} {
		if !req.ok {
			return nil, perr(line, 0, req.name, "missing")
		}
	}
	if set.Count(With) == 0 || set.Count(Against) == 0 {
		return nil, perr(line, 0, "group", "need at least one state with and one against the focal state (have %d with, %d against)", set.Count(With), set.Count(Against))
	}
	return set, nil
}

// directive splits "# key: value" for the known keys.
func directive(text string) (key, val string, ok bool) {
	body := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	k, v, found := strings.Cut(body, ":")
	if !found {
		return "", "", false
	}
	switch k {
	case "focal", "at", "outcome", "source":
		return k, strings.TrimSpace(v), true
	}
	return "", "", false
}

// LoadLabelDir parses every *.tsv file in dir, in name order.
func LoadLabelDir(dir string) ([]*LabelSet, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, entente.Errorf(entente.EINVALID, "no label files (*.tsv) in %s", dir)
	}
	sort.Strings(names)
	sets := make([]*LabelSet, 0, len(names))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("open label file: %w", err)
		}
		set, err := ParseLabels(f, name)
		f.Close()
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	return sets, nil
}
