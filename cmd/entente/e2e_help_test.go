package main

import (
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"-help"}} {
		r := runApp(t, nil, args...)
		if r.code != 0 {
			t.Errorf("entente %s: exit %d, want 0", args[0], r.code)
		}
		if r.stderr != "" {
			t.Errorf("entente %s: stderr %q, want none", args[0], r.stderr)
		}
		for _, want := range []string{"Usage:", "Examples:", "--db PATH", "--format", "Exit codes"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("entente %s: stdout does not hold %q:\n%s", args[0], want, r.stdout)
			}
		}
		for _, c := range commands {
			if !strings.Contains(r.stdout, "  "+c.name+" ") {
				t.Errorf("entente %s does not list the command %s", args[0], c.name)
			}
		}
	}
}

func TestNoArgumentsIsUsageError(t *testing.T) {
	r := runApp(t, nil)
	if r.code != 2 {
		t.Errorf("entente: exit %d, want 2", r.code)
	}
	if r.stdout != "" {
		t.Errorf("entente: stdout %q, want none (usage goes to stderr)", r.stdout)
	}
	if !strings.Contains(r.stderr, "Usage:") || !strings.Contains(r.stderr, "similarity") {
		t.Errorf("entente: stderr holds no usage:\n%s", r.stderr)
	}
}

func TestUnknownCommand(t *testing.T) {
	r := runApp(t, nil, "frobnicate", "RUS")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("stderr does not name the command and show the usage:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want none", r.stdout)
	}
}

func TestCommandHelp(t *testing.T) {
	if len(commands) < 4 {
		t.Fatalf("%d commands registered, want at least import, similarity, rank, quarantine", len(commands))
	}
	for _, name := range []string{"import", "similarity", "rank", "quarantine"} {
		if lookupCommand(name) == nil {
			t.Errorf("command %s is not registered", name)
		}
	}
	for _, c := range commands {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			// --help must win over everything else on the line, and touch no store.
			db := newDB(t)
			r := cli(t, db, args...)
			what := strings.Join(args, " ")
			if r.code != 0 {
				t.Errorf("entente %s: exit %d, want 0\n%s", what, r.code, r)
				continue
			}
			for _, want := range []string{"Usage:", "Example", "entente " + c.name, "Flags:", "-format"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("entente %s: stdout does not hold %q:\n%s", what, want, r.stdout)
				}
			}
		}
	}
	// Each command's flags are listed in its help.
	for name, flags := range map[string][]string{
		"similarity": {"-from", "-to", "-by", "-metric", "-issue", "-all"},
		"rank":       {"-at", "-signal", "-metric", "-top", "-bottom"},
		"quarantine": {"-limit"},
	} {
		r := runApp(t, nil, name, "--help")
		for _, f := range flags {
			if !strings.Contains(r.stdout, f) {
				t.Errorf("entente %s --help does not list %s", name, f)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		r := runApp(t, nil, arg)
		if r.code != 0 || r.stdout != "entente "+version+"\n" || r.stderr != "" {
			t.Errorf("entente %s: %s", arg, r)
		}
	}
}

func TestBadFlags(t *testing.T) {
	db := newDB(t)
	wantExit(t, db, 2, []string{"--format", "xml", "Run 'entente similarity --help'"}, "similarity", "RUS", "USA", "--format", "xml")
	wantExit(t, db, 2, []string{"-nosuchflag"}, "rank", "RUS", "--nosuchflag")
	wantExit(t, db, 2, []string{"--limit"}, "quarantine", "--limit", "-1")
	wantExit(t, db, 2, []string{"at most one source"}, "quarantine", "a", "b")
}

// The store path comes from --db, else $ENTENTE_DB (through the injected getenv).
func TestStoreFromEnvironment(t *testing.T) {
	db := newDB(t)
	env := func(k string) string {
		if k == "ENTENTE_DB" {
			return db
		}
		return ""
	}
	r := runApp(t, func(a *app) { a.getenv = env }, "import", "unvotes", "testdata/voeten_excerpt.csv", "--format", "csv", "--quiet")
	if r.code != 0 {
		t.Fatalf("import with $ENTENTE_DB: %s", r)
	}
	// The store named by --db gets the same file as duplicates only if it is the same store.
	r = mustRun(t, db, "import", "unvotes", "testdata/voeten_excerpt.csv", "--format", "csv", "--quiet")
	row := parseCSV(t, r.stdout).one(t, "file", "testdata/voeten_excerpt.csv")
	if row["imported"] != "0" || row["duplicate"] != "62" {
		t.Errorf("second import into the $ENTENTE_DB store: %v, want imported 0, duplicate 62", row)
	}
}
