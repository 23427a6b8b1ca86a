package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The label set and assertions below are written against indexFacts: Belarus and
// Kazakhstan vote with Russia, the US, the UK and France against it and sanction it.
const validateLabels = `# focal: RUS
# at: 2024-07-01
# outcome: a made-up test outcome
# source: https://example.org/test | Test | 2024
iso3	group
BLR	with
KAZ	with
ARM	neutral
USA	against
GBR	against
FRA	against
`

func TestValidateCommand(t *testing.T) {
	db := indexDB(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rus-test.tsv"), []byte(validateLabels), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, db, "validate", "--labels", dir, "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "test" || rows[0][6] != "index" || rows[2][0] != "mean" || rows[3][0] != "worst" {
		t.Fatalf("unexpected table:\n%s", r.stdout)
	}
	// Both with states score above all three against states: every pair ordered.
	if got := rows[1][:7]; strings.Join(got, ",") != "rus-test,RUS,2024-07-01,2,3,0,1" {
		t.Errorf("test row = %v, want rus-test,RUS,2024-07-01,2,3,0,1 (AUC 1)", got)
	}

	face := filepath.Join(dir, "face.txt")
	write := func(body string) {
		if err := os.WriteFile(face, []byte("source s: https://example.org/s | S | 2024\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("RUS 2024 BLR above USA [s]\nRUS 2024 USA,GBR below KAZ [s]\n")
	r = mustRun(t, db, "validate", "--face", face, "--format", "csv")
	if strings.Count(r.stdout, ",pass,") != 2 {
		t.Errorf("want two passes:\n%s", r.stdout)
	}
	write("RUS 2024 USA above BLR [s]\n")
	r = wantExit(t, db, 1, []string{"1 of 1 face-validity assertions fail"}, "validate", "--face", face)
	if !strings.Contains(r.stdout, "fail") {
		t.Errorf("no fail row:\n%s", r.stdout)
	}

	// --baseline: the index as configured next to the shipped defaults' index. A mixed
	// set (a with state that votes against Russia, an against state that votes with it)
	// whose AUC the weights move.
	mixed := strings.NewReplacer("BLR\twith", "BLR\tagainst", "USA\tagainst", "USA\twith").Replace(validateLabels)
	if err := os.WriteFile(filepath.Join(dir, "rus-test.tsv"), []byte(mixed), 0o644); err != nil {
		t.Fatal(err)
	}
	column := func(args ...string) (map[string]string, string) {
		r := mustRun(t, db, append([]string{"validate", "--labels", dir, "--format", "csv"}, args...)...)
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for j, name := range rows[0] {
			out[name] = rows[1][j]
		}
		return out, r.stderr
	}
	const w = "weight.ledger=0"
	def, _ := column()
	moved, _ := column("--weights", w)
	both, notes := column("--weights", w, "--baseline")
	t.Logf("index: default %s, with %s %s", def["index"], w, moved["index"])
	if def["index"] == moved["index"] {
		t.Fatalf("index AUC %s with and without %s: the test cannot tell the columns apart", def["index"], w)
	}
	if both["index"] != moved["index"] || both["baseline"] != def["index"] {
		t.Errorf("--baseline: index %s baseline %s, want %s (as configured) and %s (defaults)", both["index"], both["baseline"], moved["index"], def["index"])
	}
	for _, want := range []string{"with the shipped defaults (baseline): mean " + def["index"], "than the baseline by more than 0.005 on 1 of 1 tests: rus-test"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	wantExit(t, db, 2, []string{"--baseline applies to the label sets"}, "validate", "--face", face, "--baseline")

	// Bad input names the file, line and field, before any store is opened.
	bad := strings.Replace(validateLabels, "KAZ\twith", "KAZ\tfriend", 1)
	if err := os.WriteFile(filepath.Join(dir, "rus-test.tsv"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	wantExit(t, db, 2, []string{"rus-test.tsv:7:5: group"}, "validate", "--labels", dir)
	write("RUS 2024 USA under BLR [s]\n")
	wantExit(t, db, 2, []string{"face.txt:2:14: verb"}, "validate", "--face", face)
	wantExit(t, db, 2, []string{"no label files"}, "validate", "--labels", t.TempDir())
}
