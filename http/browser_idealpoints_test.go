package http

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPairIdealPoints: the pair page draws both states' ideal points by year
// with their bands, from /api/v1/idealpoints.
func TestBrowserPairIdealPoints(t *testing.T) {
	ctx := browser(t)
	url := dashboardURL(t)
	do(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url+"/#focal=RUS&at=2025-06&dyad=BLR"), waitReady())
	states := eval[[]string](t, ctx, `Array.from(new Set(window.entente.ideal.points.map((p) => p.state))).sort()`)
	banded := eval[int](t, ctx, `window.entente.ideal.points.filter((p) => p.lo !== null && p.lo <= p.x && p.x <= p.hi).length`)
	total := eval[int](t, ctx, `window.entente.ideal.points.length`)
	canvas := eval[int](t, ctx, `document.querySelectorAll('#ideal-chart canvas').length`)
	painted := eval[bool](t, ctx, `(() => { const c = document.querySelector('#ideal-chart canvas'); if (!c) return false;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i+3] > 0 && d[i] > d[i+2] + 60) n++; return n > 50; })()`)
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`#ideal-chart`)))
	screenshot(t, ctx, "dashboard_dyad_idealpoints.png")
	if len(states) != 2 || states[0] != "BLR" || states[1] != "RUS" {
		t.Errorf("ideal points for %v, want BLR and RUS", states)
	}
	if total == 0 || banded != total {
		t.Errorf("%d of %d points inside a band", banded, total)
	}
	if canvas != 1 || !painted {
		t.Errorf("ideal-point chart: %d canvases, red line painted %v", canvas, painted)
	}
}
