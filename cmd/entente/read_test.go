package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/ingest/ledger"
)

const readArticle = `Sanctions and refusals

The European Union imposed sanctions on Russia on 23 February 2022. Serbia refused to join sanctions against Russia in 2022.

Ukraine severed diplomatic relations with Russia on 24 February 2022. Finland joined NATO on 4 April 2023.

Kazakhstan did not recognise the Donetsk and Luhansk republics.
`

// readLedger is a small ledger: one act the article restates, one it contradicts by
// kind (Serbia sanctioning rather than refusing) and one by date.
const readLedger = `- id: 2022-02-23-eu-rus-sanctions
  date: 2022-02-23
  actor: EU
  counterpart: RUS
  kind: sanctions
  summary: EU sanctions after the recognition of the separatist republics.
  sources:
    - url: https://www.consilium.europa.eu/en/press/
      checked: true
- id: 2022-srb-rus-sanctions
  date: 2022
  actor: SRB
  counterpart: RUS
  kind: sanctions
  summary: A test act that the article contradicts.
  sources:
    - url: https://example.org/test
      checked: false
- id: 2022-03-ukr-rus-break
  date: 2022-03
  actor: UKR
  counterpart: RUS
  kind: diplomatic_break
  summary: A test act dated a month late.
  sources:
    - url: https://example.org/test
      checked: false
`

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadNoStore(t *testing.T) {
	art := writeTemp(t, "a.txt", readArticle)
	r := mustRun(t, newDB(t), "read", art, "--date", "2025-01-01", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if row := tb.one(t, "actor", "EU", "kind", "sanctions"); row["status"] != "unchecked" || row["date"] != "2022-02-23" || row["precision"] != "day" {
		t.Errorf("EU sanctions: %v", row)
	}
	if len(tb.find("actor", "KAZ")) != 0 {
		t.Errorf("a denied recognition was reported:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "no store") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestReadAgainstStore(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "ledger", writeTemp(t, "l.yaml", readLedger))
	art := writeTemp(t, "a.html", "<html><body><p>"+strings.ReplaceAll(readArticle, "\n\n", "</p><p>")+"</p></body></html>")
	r := mustRun(t, db, "read", art, "--format", "csv")
	tb := parseCSV(t, r.stdout)
	for _, tc := range []struct{ actor, kind, status, evidence string }{
		{"EU", "sanctions", "supported", "2022-02-23-eu-rus-sanctions"},
		{"SRB", "sanctions_refusal", "contradicted", "2022-srb-rus-sanctions"},
		{"UKR", "diplomatic_break", "contradicted", "2022-03-ukr-rus-break"},
		{"FIN", "membership_join", "supported", "bloc registry"},
	} {
		row := tb.one(t, "actor", tc.actor, "kind", tc.kind)
		if row["status"] != tc.status || !strings.Contains(row["evidence"], tc.evidence) {
			t.Errorf("%s %s: status %q evidence %q, want %s with %s", tc.actor, tc.kind, row["status"], row["evidence"], tc.status, tc.evidence)
		}
	}
	// the table and JSON formats work too
	mustRun(t, db, "read", art)
	parseJSON(t, mustRun(t, db, "read", art, "--format", "json").stdout)
}

// TestReadDrafts: drafts written with --format yaml pass the ledger check once each has
// a source; without --url they lack one and the check says so.
func TestReadDrafts(t *testing.T) {
	art := writeTemp(t, "a.txt", readArticle)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	check := func(text string) []error {
		acts, errs := ledger.Parse(strings.NewReader(text), "drafts.yaml")
		return append(errs, ledger.Check(acts, country.Default(), now, nil)...)
	}
	r := mustRun(t, newDB(t), "read", art, "--date", "2025-01-01", "--format", "yaml")
	if !strings.Contains(r.stdout, "kind: sanctions_refusal") || strings.Contains(r.stdout, "KAZ") {
		t.Fatalf("drafts:\n%s", r.stdout)
	}
	errs := check(r.stdout)
	if len(errs) == 0 || !errors.Is(errs[0], ledger.ErrBadSource) {
		t.Fatalf("drafts without a source: %v", errs)
	}
	// a person adds the checked source
	fixed := strings.ReplaceAll(r.stdout, "    - published:", "    - url: https://www.reuters.com/world/europe/\n      published:")
	fixed = strings.ReplaceAll(fixed, "checked: false", "checked: true")
	if errs := check(fixed); len(errs) != 0 {
		t.Fatalf("drafts with a source: %v\n%s", errs, fixed)
	}
	// with --url the drafts cite it and pass as written
	r = mustRun(t, newDB(t), "read", art, "--date", "2025-01-01", "--format", "yaml", "--url", "https://example.org/a")
	if errs := check(r.stdout); len(errs) != 0 {
		t.Fatalf("drafts with --url: %v\n%s", errs, r.stdout)
	}
}

func TestReadBadInput(t *testing.T) {
	db := newDB(t)
	wantExit(t, db, 2, []string{"no text"}, "read", writeTemp(t, "empty.txt", ""))
	wantExit(t, db, 2, []string{"binary"}, "read", writeTemp(t, "b.bin", "\x7fELF\x02\x01\x01\x00\x00\x00\x00"))
	wantExit(t, db, 2, []string{"no such file"}, "read", filepath.Join(t.TempDir(), "missing.txt"))
	wantExit(t, db, 2, []string{"want one FILE"}, "read")
	wantExit(t, db, 2, []string{"--date"}, "read", writeTemp(t, "a.txt", readArticle), "--date", "June")
	r := mustRun(t, db, "read", writeTemp(t, "u.txt", "Finland joined NATO \xff\xfe on 4 April 2023."), "--format", "csv")
	if !strings.Contains(r.stdout, "membership_join") || !strings.Contains(r.stderr, "invalid UTF-8") {
		t.Errorf("invalid UTF-8: %s", r)
	}
	// one 50 MB line with no sentence boundary: bounded time, no crash
	big := strings.Repeat("Russia and Belarus held talks with China ", 50<<20/41)
	start := readCPUTime()
	mustRun(t, db, "read", writeTemp(t, "big.txt", big), "--format", "csv")
	// CPU time, not wall time: the machine may be shared and loaded
	if d := readCPUTime() - start; d > 90*time.Second {
		t.Errorf("50 MB took %v of CPU", d)
	}
	_ = entente.EINVALID
}

// readCPUTime is the user and system CPU time of the test process so far.
func readCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
