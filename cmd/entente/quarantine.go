package main

import (
	"context"
	"flag"
)

func init() {
	commands = append(commands, &command{
		name:    "quarantine",
		summary: "list the records imports refused, with file, line and reason",
		usage: `Usage:
  entente quarantine [SOURCE] [--limit N]

Lists quarantined records: what an import read but refused (unknown state at the date,
bad vote code or date, wrong field count, non-UTF-8 bytes, rows of another UN body),
newest import first, with the file, line, field, reason and the raw line.

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
				source := ""
				if len(args) == 1 {
					source = args[0]
				}
				st, err := a.openExistingStore(ctx)
				if err != nil {
					return err
				}
				defer st.Close()
				qs, err := st.Quarantine(ctx, source, *limit)
				if err != nil {
					return err
				}
				w := a.newRowWriter([]string{"source", "file", "line", "field", "reason", "raw"})
				for _, q := range qs {
					raw := q.Raw
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
