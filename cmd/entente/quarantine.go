package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/entente/entente"
)

func init() {
	commands = append(commands, &command{
		name:    "quarantine",
		summary: "list the records imports refused, with file, line and reason",
		usage: `Usage:
  entente quarantine [SOURCE] [--limit N]

Lists quarantined records: what an import read but refused (unknown state at the date,
bad vote code or date, wrong field count, non-UTF-8 bytes, rows of another UN body),
newest import first, with the file, line, field, reason and the raw line. SOURCE is a
source of 'entente import' (unvotes, gdelt, aid, atop, igo, ledger, idealpoints, ucdp,
rivalry, mids, sipri, force) or a name records are stored under (voeten, undl, gdelt1,
gdelt2, kiel, cowigo, bsv, tss, td, gml).
Control characters in the raw line (a NUL byte, say) are shown escaped (\x00).

Examples:
  entente quarantine
  entente quarantine unvotes --limit 20
  entente quarantine voeten --format csv > refused.csv
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			limit := fs.Int("limit", 100, "at most N records (0: all)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 1 {
					return usagef("want at most one source")
				}
				if *limit < 0 {
					return usagef("--limit takes a number ≥ 0")
				}
				sources := []string{""}
				if len(args) == 1 {
					var err error
					if sources, err = quarantineSources(args[0]); err != nil {
						return err
					}
				}
				st, err := a.openExistingStore(ctx)
				if err != nil {
					return err
				}
				defer st.Close()
				var qs []entente.Quarantined
				for _, src := range sources {
					part, err := st.Quarantine(ctx, src, *limit)
					if err != nil {
						return err
					}
					qs = append(qs, part...)
				}
				if *limit > 0 && len(qs) > *limit {
					qs = qs[:*limit]
				}
				w := a.newRowWriter([]string{"source", "file", "line", "field", "reason", "raw"})
				for _, q := range qs {
					raw := q.Raw
					if a.format != "json" {
						raw = escapeControls(raw)
					}
					if a.format == "table" {
						raw = shorten(raw, 60)
					}
					if err := w.Row(q.Source, q.File, q.Line, q.Field, q.Reason, raw); err != nil {
						return err
					}
				}
				return w.Close()
			}
		},
	})
}

// shorten cuts s to at most n characters, ending with "..." when it cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

// importSources maps the SOURCE words of 'entente import' to the source names records
// are stored under (one per file layout).
var importSources = map[string][]string{
	"unvotes":     {entente.SourceVoeten, entente.SourceUNVotes, entente.SourceUNDL},
	"gdelt":       {entente.SourceGDELT2, entente.SourceGDELT1},
	"aid":         {entente.SourceKiel},
	"atop":        {entente.SourceATOP},
	"igo":         {entente.SourceCOWIGO},
	"ledger":      {entente.SourceLedger},
	"idealpoints": {entente.SourceBSV},
	"ucdp":        {entente.SourceUCDP},
	"rivalry":     {entente.SourceTSS, entente.SourceTD},
	"mids":        {entente.SourceGML},
	"sipri":       {entente.SourceSIPRI},
	"force":       {entente.SourceUCDP, entente.SourceTSS, entente.SourceTD, entente.SourceGML, entente.SourceSIPRI},
}

// quarantineSources returns the stored source names a user's SOURCE word stands for:
// an import source, or a stored name itself; anything else is a usage error listing
// the words accepted.
func quarantineSources(word string) ([]string, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	if names, ok := importSources[w]; ok {
		return names, nil
	}
	var known []string
	for k, names := range importSources {
		known = append(known, k)
		if slices.Contains(names, w) {
			return []string{w}, nil
		}
		for _, n := range names {
			if n != k {
				known = append(known, n)
			}
		}
	}
	slices.Sort(known)
	known = slices.Compact(known)
	return nil, usagef("unknown source %q: want one of %s", word, strings.Join(known, ", "))
}

// escapeControls writes control characters other than tab as \xNN (\u for other
// runes), so that a raw line with a NUL byte or an escape sequence cannot garble a
// terminal or a CSV reader.
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, isEscaped) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isEscaped(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func isEscaped(r rune) bool { return r != '\t' && unicode.IsControl(r) }
