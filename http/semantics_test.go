package http

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// TestRankLeftOut checks that the API names the states a ranking leaves out, as many as
// it counts, each with why, and none of them among the scores; the client reads them
// back.
func TestRankLeftOut(t *testing.T) {
	_, ts := testServer(t)
	var r RankResponse
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06", &r)
	if r.Unknown == 0 || len(r.LeftOut) != r.Unknown {
		t.Fatalf("unknown %d, left_out %d states: want as many, > 0 (the excerpts leave states without evidence)", r.Unknown, len(r.LeftOut))
	}
	scored := map[string]bool{}
	for _, s := range r.Scores {
		scored[s.State.ID] = true
	}
	for _, l := range r.LeftOut {
		if l.ID == "" || l.Name == "" || !strings.HasPrefix(l.Why, "no direct evidence") || scored[l.ID] {
			t.Errorf("left out %+v: want an ID, a name, a reason and no score", l)
		}
	}
	rk, err := NewClient(ts.URL).Rank(context.Background(), "RUS", entente.Day(2025, 7, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(rk.LeftOut) != len(r.LeftOut) || rk.LeftOut[0].State.ID != r.LeftOut[0].ID || rk.LeftOut[0].Why != r.LeftOut[0].Why {
		t.Errorf("client: %d left out, first %+v; API %d, first %+v", len(rk.LeftOut), rk.LeftOut[0], len(r.LeftOut), r.LeftOut[0])
	}
}

// TestDateSemantics checks the API's refusals of a state at a date it did not exist and
// of a date after the data: 400, with the message of the command line (the engine's and
// entente.ResolveAt's).
func TestDateSemantics(t *testing.T) {
	_, ts := testServer(t)
	cowKOR := entente.NotAtMessage(country.Default(), "cow:KOR", mustResolve(t, "cow:KOR"), entente.Day(2020, 12, 31))
	moldova := entente.NotAtMessage(country.Default(), "Moldova", mustResolve(t, "Moldova"), entente.Day(1985, 12, 31))
	if !strings.Contains(cowKOR, "cow:KOR names Korea (XKO), which did not exist on 2020-12-31") || !strings.Contains(moldova, "Moldova (MDA) did not exist on 1985-12-31") {
		t.Fatalf("messages %q, %q", cowKOR, moldova)
	}
	for _, tc := range []struct{ path, want string }{
		{"/api/v1/rank/" + url.PathEscape("cow:KOR") + "?at=2020", cowKOR},
		{"/api/v1/rank/Moldova?at=1985", moldova},
		{"/api/v1/explain/SUN/Moldova?at=1985", moldova},
		{"/api/v1/rank/RUS?at=2030", "2030-01-01..2030-12-31 lies after the data"},
		{"/api/v1/explain/RUS/BLR?at=2030", "2030-01-01..2030-12-31 lies after the data"},
	} {
		code, _, b := get(t, ts, "GET", tc.path)
		var e errorBody
		if code != 400 || json.Unmarshal(b, &e) != nil || !strings.Contains(e.Error.Message, tc.want) {
			t.Errorf("GET %s: %d %s, want 400 with %q", tc.path, code, b, tc.want)
		}
	}
	// A state named without a date is its latest spell.
	if code, _, b := get(t, ts, "GET", "/api/v1/idealpoints?state=RUS&state=BLR"); code != 200 {
		t.Errorf("idealpoints of RUS and BLR (no date): %d %s", code, b)
	}
}

func mustResolve(t *testing.T, q string) entente.Country {
	t.Helper()
	c, err := entente.ResolveAt(country.Default(), q, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
