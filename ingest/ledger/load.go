package ledger

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Load reads ledger files named by paths: a file, a folder (every *.yaml and *.yml file
// under it, recursively, in lexical order) or a glob pattern (filepath.Match syntax).
// A file named twice is read once. It returns the well-formed acts of all files, the
// files read, and every error: I/O errors, a path or pattern matching no file, and the
// parse errors of each file. It does not Check the acts.
func Load(paths ...string) (acts []Act, files []string, errs []error) {
	return loadWith(paths, loadFile)
}

// loadWith is Load with the reading and parsing of one file given.
func loadWith(paths []string, loadFile func(name string) ([]Act, []error)) (acts []Act, files []string, errs []error) {
	seen := map[string]bool{}
	for _, p := range paths {
		names, err := expand(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, name := range names {
			key := name
			if abs, err := filepath.Abs(name); err == nil {
				key = abs
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			files = append(files, name)
			a, e := loadFile(name)
			acts = append(acts, a...)
			errs = append(errs, e...)
		}
	}
	return acts, files, errs
}

func loadFile(name string) ([]Act, []error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, []error{fmt.Errorf("open ledger: %w", err)}
	}
	defer f.Close()
	return Parse(f, name)
}

// expand lists the ledger files one path names.
func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	switch {
	case err == nil && info.IsDir():
		var out []string
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isLedgerName(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read ledger folder %s: %w", p, err)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("ledger folder %s: no .yaml or .yml files", p)
		}
		sort.Strings(out)
		return out, nil
	case err == nil:
		return []string{p}, nil
	case strings.ContainsAny(p, "*?["):
		out, gerr := filepath.Glob(p)
		if gerr != nil {
			return nil, fmt.Errorf("ledger pattern %s: %w", p, gerr)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("ledger pattern %s: no file matches", p)
		}
		sort.Strings(out)
		return out, nil
	}
	return nil, fmt.Errorf("open ledger: %w", err)
}

func isLedgerName(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// Report counts what a ledger holds and how well it is sourced.
type Report struct {
	Files   int            // files read
	Acts    int            // well-formed acts
	Sources int            // citations of those acts
	Checked int            // citations marked checked: true
	ByKind  map[string]int // acts per kind
	Errors  int            // errors found by Load and Check
}

// Summarize counts acts, their sources and checked sources, and acts by kind.
func Summarize(acts []Act) Report {
	r := Report{Acts: len(acts), ByKind: map[string]int{}}
	for _, a := range acts {
		r.ByKind[a.Kind]++
		r.Sources += len(a.Sources)
		for _, c := range a.Sources {
			if c.Checked {
				r.Checked++
			}
		}
	}
	return r
}

// String formats the report for people: totals on the first line, then one line per
// kind, most frequent first.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d files, %d acts, %d sources (%d checked), %d errors\n", r.Files, r.Acts, r.Sources, r.Checked, r.Errors)
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if r.ByKind[kinds[i]] != r.ByKind[kinds[j]] {
			return r.ByKind[kinds[i]] > r.ByKind[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-32s %d\n", k, r.ByKind[k])
	}
	return b.String()
}

// CheckPaths loads the ledger files named by paths, checks them against countries at
// now (orgs nil means IsOrganisation) and reports. It is what `entente ledger check`
// runs: the ledger passes when the returned errors are empty.
func CheckPaths(countries entente.CountryService, now time.Time, orgs func(string) bool, paths ...string) (Report, []Act, []error) {
	acts, files, errs := Load(paths...)
	errs = append(errs, Check(acts, countries, now, orgs)...)
	r := Summarize(acts)
	r.Files, r.Errors = len(files), len(errs)
	return r, acts, errs
}
