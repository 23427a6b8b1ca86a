package http

import (
	"encoding/csv"
	"encoding/json"
	"io"
	nethttp "net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/entente/entente/index"
)

// fetch gets url with the default client and returns the status, content type and body.
func fetch(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := nethttp.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// TestBrowserAnalyst checks the analysts' parts of the dashboard: weight sliders that
// re-rank at once (the order equals the API's for the same weights), downloads of the
// current view (CSV rows as on screen, a Parquet file), the movers view with links to
// the pairs, the note on modern borders, and the explanations of empty panels.
func TestBrowserAnalyst(t *testing.T) {
	ctx := browser(t)
	url := dashboardURL(t)
	waitFor := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v; status %q", what, expr, err, eval[string](t, ctx, `document.querySelector('#status').textContent`))
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 1400), chromedp.Navigate(url+"/#focal=RUS&at=2025-06"), waitReady())
	before := eval[[]string](t, ctx, rowIDs)
	if n := eval[int](t, ctx, `document.querySelectorAll('#weight-sliders input[type=range]').length`); n != len(index.Signals) {
		t.Fatalf("%d weight sliders, want %d", n, len(index.Signals))
	}
	if note := eval[string](t, ctx, `document.querySelector('#borders-note').textContent`); !strings.Contains(note, "modern borders") {
		t.Errorf("no note on modern borders: %q", note)
	}
	// The coverage banner: the UN votes end before the window (test store: March 2025).
	banner := eval[string](t, ctx, `document.querySelector('#coverage-banner').hidden ? '' : document.querySelector('#coverage-banner').textContent`)
	unWarn := eval[bool](t, ctx, `!!document.querySelector('#coverage-banner .cov.warn[data-signal="unvotes"]')`)
	if !strings.Contains(banner, "UN votes") || !strings.Contains(banner, "roll calls in window") || !strings.Contains(banner, "events none stored") || !unWarn {
		t.Errorf("coverage banner %q (UN votes flagged: %v)", banner, unWarn)
	}

	// Sliders: only the ledger counts.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { for (const s of document.querySelectorAll('#weight-sliders input')) {
		if (s.dataset.signal !== 'ledger') { s.value = '0'; s.dispatchEvent(new Event('input')); } } })()`))
	// The dashboard sends the weights that differ from the defaults, sorted by name.
	var names []string
	for i, sig := range index.Signals {
		if sig != "ledger" && index.DefaultConfig().Weights[i] != 0 {
			names = append(names, sig)
		}
	}
	sort.Strings(names)
	wq := ""
	for _, n := range names {
		wq += "&w." + n + "=0"
	}
	waitFor("the re-ranking", `window.entente.analyst.shown === '`+wq+`' && document.body.dataset.state === 'ready'`)
	after := eval[[]string](t, ctx, rowIDs)
	var api RankResponse
	_, _, body := fetch(t, url+"/api/v1/rank/RUS?at=2025-06"+wq)
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range api.Scores {
		want = append(want, s.State.ID)
	}
	if strings.Join(after, " ") != strings.Join(want, " ") {
		t.Errorf("after the sliders the table shows %v, the API ranks %v", after, want)
	}
	if strings.Join(after, " ") == strings.Join(before, " ") {
		t.Errorf("moving the sliders did not change the ranking: %v", after)
	}
	t.Logf("sliders: ledger only re-ranks %d states; top before %v, after %v", len(after), before[:3], after[:3])
	screenshot(t, ctx, "dashboard_weights.png")

	// Downloads of the current (re-weighted) view.
	csvHref := eval[string](t, ctx, `document.querySelector('#dl-csv').getAttribute('href')`)
	pqHref := eval[string](t, ctx, `document.querySelector('#dl-parquet').getAttribute('href')`)
	if !strings.Contains(csvHref, "w.unvotes=0") || !strings.Contains(csvHref, "format=csv") || !strings.Contains(pqHref, "format=parquet") {
		t.Errorf("download links %q, %q do not carry the view's weights and format", csvHref, pqHref)
	}
	code, ctype, b := fetch(t, url+csvHref)
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if code != 200 || !strings.HasPrefix(ctype, "text/csv") || err != nil || len(recs) != len(after)+1 {
		t.Fatalf("csv download: %d %s %v, %d rows for %d on screen", code, ctype, err, len(recs)-1, len(after))
	}
	for i, id := range after {
		if recs[i+1][3] != id || recs[i+1][0] != "RUS" {
			t.Fatalf("csv row %d: %v, screen %s", i+1, recs[i+1], id)
		}
	}
	code, ctype, b = fetch(t, url+pqHref)
	if code != 200 || ctype != "application/vnd.apache.parquet" || len(b) < 8 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
		t.Errorf("parquet download: %d %s, %d bytes", code, ctype, len(b))
	}

	// Reset, then the movers view: Armenia moved away from Russia; its link opens the pair.
	do(t, ctx, chromedp.Click(chromedp.CSS("#weights-reset")))
	waitFor("the reset", `window.entente.analyst.shown === '' && document.body.dataset.state === 'ready'`)
	waitFor("the movers", `document.querySelectorAll('#movers li a').length > 0`)
	movers := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#movers li')).map(li => li.dataset.id)`)
	armText := eval[string](t, ctx, `(document.querySelector('#movers li[data-id="ARM"]') || {}).textContent || ''`)
	if !strings.Contains(armText, "away") {
		t.Errorf("movers %v: Armenia not listed as moving away (%q)", movers, armText)
	}
	screenshot(t, ctx, "dashboard_movers.png")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#movers li[data-id="ARM"] a`)))
	waitFor("the pair from the movers link", `location.hash.includes('dyad=ARM')`)
	do(t, ctx, waitReady())
	if title := eval[string](t, ctx, `document.querySelector('#dyad-title').textContent`); title != "Russia and Armenia" {
		t.Errorf("movers link opened %q", title)
	}
	// Roll calls carry their resolution, title and link.
	rcs := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#evidence ul.rollcalls li')).map(li => li.textContent + ' | ' + (li.querySelector('a') || {}).href)`)
	titled := 0
	for _, li := range rcs {
		if strings.Contains(li, "A/RES/") && strings.Contains(li, "adopted by the General Assembly") && strings.Contains(li, "| https://digitallibrary.un.org/record/") {
			titled++
		}
	}
	if titled == 0 {
		t.Errorf("no roll call shown with resolution, title and link: %q", rcs)
	}

	// Empty panels say why: an unknown focal state; a pair without events.
	do(t, ctx, chromedp.Navigate(url+"/#focal=Atlantis&at=2025-06"))
	waitFor("the error", `document.body.dataset.state === 'error'`)
	empty := eval[string](t, ctx, `document.querySelector('#rank-empty').hidden ? '' : document.querySelector('#rank-empty').textContent`)
	moversEmpty := eval[string](t, ctx, `document.querySelector('#movers-empty').textContent`)
	if !strings.Contains(empty, `No ranking for "Atlantis"`) || !strings.Contains(empty, "Pick a state") || !strings.Contains(moversEmpty, "Atlantis") {
		t.Errorf("unknown focal: ranking note %q, movers note %q", empty, moversEmpty)
	}
	screenshot(t, ctx, "dashboard_unknown_state.png")
	var noEvents string
	for _, id := range want {
		var d DyadResponse
		if _, _, b := fetch(t, url+"/api/v1/dyad/RUS/"+id); json.Unmarshal(b, &d) == nil && len(d.Signals.Events) == 0 {
			noEvents = id
			break
		}
	}
	if noEvents == "" {
		t.Fatalf("no pair with Russia without events in the test store")
	}
	do(t, ctx, chromedp.Navigate(url+"/#focal=RUS&at=2025-06&dyad="+noEvents), waitReady())
	dy := eval[string](t, ctx, `document.querySelector('#dyad-empty').hidden ? '' : document.querySelector('#dyad-empty').textContent`)
	if !strings.Contains(dy, "No GDELT events") || !strings.Contains(dy, "unknown for this pair") {
		t.Errorf("pair RUS-%s without events: note %q", noEvents, dy)
	}
	t.Logf("empty states: unknown focal %q; RUS-%s %q", empty, noEvents, dy)
}
