package http

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests: the dashboard in headless Debian Chromium, driven by chromedp, against
// the test store. They need /usr/bin/chromium (apt-get install chromium) and skip
// without it.
//
//	go test ./http/ -run Browser -update-screenshots   # also writes docs/examples/dashboard_*.png
//	ENTENTE_DASHBOARD_URL=http://127.0.0.1:8080 go test ./http/ -run Browser -update-screenshots
//	                                                   # the same against a running 'entente up'

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser tests' screenshots to docs/examples")

const chromiumPath = "/usr/bin/chromium"

// browser starts a fresh headless Chromium (its own empty profile, no background
// networking: this machine's network is closed) with a 1280×800 window.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser tests skipped: no Chromium at %s (Debian: apt-get install -y chromium)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// dashboardURL is the server the browser tests load: ENTENTE_DASHBOARD_URL, or a test
// server over the test store.
func dashboardURL(t *testing.T) string {
	if u := os.Getenv("ENTENTE_DASHBOARD_URL"); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	_, ts := testServer(t)
	return ts.URL
}

// waitReady waits until the dashboard has rendered the view of the current URL (not
// the one before: a hash change is handled asynchronously).
func waitReady() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for {
			state, err := chromedp.Evaluate[string](`document.body.dataset.route === location.hash ? document.body.dataset.state : 'stale'`)(ctx, tg)
			if err != nil {
				return chromedp.Void{}, err
			}
			switch state {
			case "ready":
				return chromedp.Void{}, nil
			case "error":
				msg, _ := chromedp.Evaluate[string](`document.querySelector('#status').textContent`)(ctx, tg)
				return chromedp.Void{}, fmt.Errorf("dashboard error: %s", msg)
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves a PNG of the viewport: in the test's temporary folder, and in
// docs/examples with -update-screenshots.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot %s: %dx%d", name, img.Bounds().Dx(), img.Bounds().Dy())
	dir := t.TempDir()
	if *updateScreenshots {
		dir = filepath.Join("..", "docs", "examples")
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

const rowIDs = `Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => r.dataset.id)`

func TestBrowserDashboard(t *testing.T) {
	ctx := browser(t)
	url := dashboardURL(t)

	// The world view for Russia: the map colours the states the ranking lists.
	do(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url+"/#focal=RUS&at=2025-06"), waitReady())
	mapStates := eval[[]string](t, ctx, `window.entente.mapStates`)
	rows := eval[[]string](t, ctx, rowIDs)
	title := eval[string](t, ctx, `document.querySelector('#map-title').textContent`)
	mapPainted := eval[bool](t, ctx, `(() => { const c = document.querySelector('#map canvas'); if (!c) return false;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i+3] > 0 && !(d[i] === d[i+1] && d[i+1] === d[i+2])) n++; return n > 1000; })()`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`span.spark svg`)))
	screenshot(t, ctx, "dashboard_world.png")
	if !strings.HasPrefix(title, "Russia: alignment index, 12 months to 2025-06-30") {
		t.Errorf("map title %q", title)
	}
	if len(rows) < 20 || len(mapStates) != len(rows) {
		t.Errorf("%d ranking rows, %d states on the map", len(rows), len(mapStates))
	}
	top := strings.Join(rows[:min(5, len(rows))], " ")
	for _, id := range []string{"BLR", "PRK"} {
		if !strings.Contains(top, id) || !slices.Contains(mapStates, id) {
			t.Errorf("%s not among the top five (%s) or not on the map", id, top)
		}
	}
	if !mapPainted {
		t.Error("the map canvas has no coloured pixels")
	}

	// Pick another focal state in the picker, as a user types it.
	do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#focal').value = ''`),
		chromedp.Click(chromedp.CSS("#focal")),
		chromedp.SendKeys(chromedp.CSS("#focal"), "United States of America"),
		chromedp.Blur(chromedp.CSS("#focal")),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.hash.includes('focal=USA')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("picking the USA: %v (hash %s)", err, eval[string](t, ctx, `location.hash`))
	}
	do(t, ctx, waitReady())
	focal := eval[string](t, ctx, `window.entente.rank.focal.id`)
	rows = eval[[]string](t, ctx, rowIDs)
	if focal != "USA" || len(rows) == 0 || slices.Contains(rows, "USA") {
		t.Errorf("after picking the USA: focal %s, %d rows", focal, len(rows))
	}

	// Back to Russia; open the pair page of Belarus from its row.
	do(t, ctx, chromedp.Navigate(url+"/#focal=RUS&at=2025-06"), waitReady(),
		chromedp.Click(chromedp.CSS(`#ranking tbody tr[data-id="BLR"]`)))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.hash.includes('dyad=BLR')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, waitReady())
	dyadTitle := eval[string](t, ctx, `document.querySelector('#dyad-title').textContent`)
	links := eval[int](t, ctx, `document.querySelectorAll('#evidence a[href^="http"]').length`)
	acts := eval[int](t, ctx, `document.querySelectorAll('#evidence ul.acts li').length`)
	canvases := eval[int](t, ctx, `document.querySelectorAll('#view-dyad canvas').length`)
	screenshot(t, ctx, "dashboard_dyad.png")
	if dyadTitle != "Russia and Belarus" || links < 3 || acts < 3 || canvases < 3 {
		t.Errorf("dyad page: title %q, %d source links, %d acts, %d charts", dyadTitle, links, acts, canvases)
	}

	// A pair with a change point: Armenia steps away from Russia (CSTO freeze).
	do(t, ctx, chromedp.Navigate(url+"/#focal=RUS&at=2025-06&dyad=ARM"), waitReady())
	changes := eval[string](t, ctx, `document.querySelector('#changes').textContent`)
	screenshot(t, ctx, "dashboard_dyad_change.png")
	if !strings.Contains(changes, "away") {
		t.Errorf("no change point away marked for Armenia: %q", changes)
	}

	// The date slider: moving it to 2016 ranks at that date.
	do(t, ctx, chromedp.Navigate(url+"/#focal=RUS&at=2025-06"), waitReady())
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#date');
		s.value = String(window.entente.months.indexOf('2016-12')); s.dispatchEvent(new Event('change')); })()`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`location.hash.includes('at=2016-12')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, waitReady())
	if at := eval[string](t, ctx, `window.entente.rank.at`); at != "2016-12-31" {
		t.Errorf("after moving the slider to 2016-12: ranking at %s", at)
	}
}

// TestBrowserPhone checks the dashboard at a phone's size: one column, nothing wider
// than the screen.
func TestBrowserPhone(t *testing.T) {
	ctx := browser(t)
	url := dashboardURL(t)
	do(t, ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulatePortrait, chromedp.EmulateMobile),
		chromedp.Navigate(url+"/#focal=RUS&at=2025-06"),
		waitReady(),
	)
	overflow := eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`)
	rows := eval[int](t, ctx, `document.querySelectorAll('#ranking tbody tr').length`)
	screenshot(t, ctx, "dashboard_phone.png")
	if overflow || rows == 0 {
		t.Errorf("phone: page wider than the screen %v, %d rows", overflow, rows)
	}
}
