package http

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// TestEvidenceRollCallTitles checks that the evidence carries each UN Digital Library
// roll call's resolution and title as the source file gives them (read here directly
// from the excerpt), with the record's link.
func TestEvidenceRollCallTitles(t *testing.T) {
	f, err := os.Open("../cmd/entente/testdata/undl_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	type rc struct{ title, res string }
	want := map[string]rc{}
	for _, r := range recs[1:] {
		want[r[col["Link"]]] = rc{r[col["Title"]], r[col["Resolution"]]}
	}
	_, ts := testServer(t)
	var e EvidenceResponse
	getJSON(t, ts, "/api/v1/evidence?a=RUS&b=BLR&at=2025-06", &e)
	titled := 0
	for _, r := range e.RollCalls {
		w, ok := want[r.URL]
		if !ok || r.Source != "undl" {
			continue
		}
		if r.Title == "" || !strings.HasPrefix(w.title, r.Title) || r.Resolution != w.res {
			t.Errorf("roll call %s: title %q, resolution %q; the source says %q, %q", r.URL, r.Title, r.Resolution, w.title, w.res)
		}
		titled++
	}
	if titled == 0 {
		t.Fatalf("no UNDL roll call among the evidence: %+v", e.RollCalls)
	}
	t.Logf("%d roll calls with titles, e.g. %q", titled, e.RollCalls[0].Title)
}
