package idealpoint

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/entente/entente"
)

const sharedData = "../../shared/data"

// loadVoeten reads Voeten's long vote file into ballots (resid = session*1000 + seq).
func loadVoeten(tb testing.TB) []entente.Ballot {
	tb.Helper()
	path := filepath.Join(sharedData, "unvotes", "voeten_votes_1946_2024.csv")
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("real data absent (%v): skipping", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		tb.Fatal(err)
	}
	byID := map[int]*entente.Ballot{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := strconv.Atoi(rec[0])
		cc, _ := strconv.Atoi(rec[1])
		v, _ := strconv.Atoi(rec[4])
		b := byID[id]
		if b == nil {
			d, _ := time.Parse("2006-01-02", rec[2])
			b = &entente.Ballot{Source: entente.SourceVoeten, RollCallID: rec[0], Date: d, Session: id / 1000}
			byID[id] = b
		}
		b.CCodes = append(b.CCodes, int16(cc))
		b.Votes = append(b.Votes, entente.VoteValue(v))
	}
	ids := make([]int, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]entente.Ballot, 0, len(ids))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out
}

// loadBSV reads the published idealpointall column.
func loadBSV(tb testing.TB) map[Key]float64 {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedData, "idealpoints", "IdealpointsJuly2025.csv"))
	if err != nil {
		tb.Skipf("real data absent (%v): skipping", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	h, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	col := slices.Index(h, "idealpointall")
	ref := map[Key]float64{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		cc, _ := strconv.Atoi(rec[0])
		y, _ := strconv.Atoi(rec[3])
		x, err := strconv.ParseFloat(rec[col], 64)
		if err != nil {
			continue // empty (2024)
		}
		ref[Key{cc, y}] = x
	}
	return ref
}

// TestRealAgreementWithBSV fits the whole Voeten file and checks the estimates against
// the published Bailey-Strezhnev-Voeten ideal points, 1946-2023 (about a minute).
func TestRealAgreementWithBSV(t *testing.T) {
	if testing.Short() {
		t.Skip("real-data fit skipped in -short mode")
	}
	bs := loadVoeten(t)
	ref := loadBSV(t)
	start := time.Now()
	fit, err := Estimate(context.Background(), bs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit: %d items, %d votes, %d iterations (converged %v) in %v", fit.Items, fit.Votes, fit.Iter, fit.Converged, time.Since(start))
	a := Compare(fit.Points, ref, 1946, 2023)
	worst := slices.Clone(a.ByYear)
	slices.SortFunc(worst, func(p, q YearR) int {
		if p.R < q.R {
			return -1
		}
		return 1
	})
	for _, w := range worst[:min(8, len(worst))] {
		t.Logf("worst year %d: r = %.3f over %d states", w.Year, w.R, w.N)
	}
	t.Logf("pooled r = %.4f over %d state-years; median per-year r = %.4f", a.Pooled, a.N, a.Median)
	if a.Pooled < 0.95 {
		t.Errorf("pooled r = %.4f, want >= 0.95", a.Pooled)
	}
	if a.Median < 0.95 {
		t.Errorf("median per-year r = %.4f, want >= 0.95", a.Median)
	}
}
