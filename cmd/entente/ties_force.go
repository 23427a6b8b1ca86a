package main

import (
	"fmt"

	"github.com/entente/entente/index"
)

// writeForceItems writes the force evidence block of the table output.
func (a *app) writeForceItems(rows []index.TieRow) {
	fmt.Fprintln(a.stdout)
	fmt.Fprintln(a.stdout, "Force evidence (UCDP conflicts, strategic rivalries, GML MIDs, SIPRI arms transfers)")
	n := 0
	for _, r := range rows {
		if r.Section != "force" {
			continue
		}
		n++
		fmt.Fprintf(a.stdout, "%-6s %-15s %s -> %s  %s\n", r.Date, r.Item, r.A, r.B, r.Detail)
		fmt.Fprintf(a.stdout, "    source: %s\n", r.Sources)
	}
	if n == 0 {
		fmt.Fprintln(a.stdout, "  none in the data's years (see the signals' coverage: after it, unknown)")
	}
}
