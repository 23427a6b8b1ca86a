package main

import (
	"strings"
	"testing"
)

// TestGlobalFlagsBeforeCommand: global flags work before the command word as after it.
func TestGlobalFlagsBeforeCommand(t *testing.T) {
	db := excerptDB(t)
	after := runApp(t, nil, "rank", "RUS", "--at", "1992", "--signal", "unvotes", "--db", db, "--format", "csv")
	for _, args := range [][]string{
		{"--db", db, "rank", "RUS", "--at", "1992", "--signal", "unvotes", "--format", "csv"},
		{"--db=" + db, "--format", "csv", "rank", "RUS", "--at", "1992", "--signal", "unvotes"},
		{"--quiet", "--format=csv", "--db", db, "rank", "--signal", "unvotes", "RUS", "--at", "1992"},
	} {
		r := runApp(t, nil, args...)
		if r.code != 0 || r.stdout != after.stdout || after.code != 0 {
			t.Errorf("entente %s: exit %d\n%s\nwant the output of the flags after the command:\n%s", strings.Join(args, " "), r.code, r, after.stdout)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db"}, "flag --db needs a value"},
		{[]string{"--quiet"}, "no command"},
		{[]string{"--db", db, "--format", "csv"}, "no command"},
		{[]string{"--db", db, "nosuch"}, `unknown command "nosuch"`},
	} {
		r := runApp(t, nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("entente %s: exit %d, stderr %q; want exit 2 with %q", strings.Join(c.args, " "), r.code, r.stderr, c.want)
		}
	}
}
