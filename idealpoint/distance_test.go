package idealpoint

import (
	"math"
	"testing"

	"github.com/entente/entente"
)

func TestDistances(t *testing.T) {
	pt := func(cc, y int, x, lo, hi float64) entente.IdealPoint {
		p := entente.IdealPoint{CCode: cc, Year: y, X: x}
		for i := range p.Q {
			p.Q[i] = math.NaN()
		}
		p.Q[1], p.Q[5] = lo, hi // the 5% and 95% quantiles
		return p
	}
	pts := []entente.IdealPoint{
		pt(2, 2001, 1, 0.9, 1.1), pt(365, 2001, -1, -1.1, -0.9),
		pt(2, 2000, 0.5, 0.4, 0.6), pt(365, 2000, 0.4, 0.3, 0.5),
		pt(2, 2002, 1, 0.9, 1.1), // 365 did not vote in 2002: left out
		pt(710, 2001, 0, -0.1, 0.1),
	}
	ds := Distances(pts, 2, 365)
	if len(ds) != 2 || ds[0].Year != 2000 || ds[1].Year != 2001 {
		t.Fatalf("Distances = %+v, want 2000 and 2001", ds)
	}
	if ds[1].D != 2 || ds[1].XA != 1 || ds[1].XB != -1 {
		t.Errorf("2001: %+v, want distance 2 from 1 and -1", ds[1])
	}
	// Each band is 0.2 wide: sd 0.2/3.29 each; half width 1.645·√2·0.0608 ≈ 0.1414.
	if math.Abs(ds[1].Hi-ds[1].D-0.14142) > 1e-4 || math.Abs(ds[1].D-ds[1].Lo-0.14142) > 1e-4 {
		t.Errorf("2001 interval [%v, %v], want 2 ± 0.1414", ds[1].Lo, ds[1].Hi)
	}
	if ds[0].Lo != 0 {
		t.Errorf("2000: lower bound %v, want it cut at 0 (distance 0.1 < half width)", ds[0].Lo)
	}
}
