package index

import (
	"testing"

	"github.com/entente/entente"
)

// TestMethodTable checks that the configuration weighs exactly the vocabulary of the
// root package: every act kind and every opposed pair, and nothing else.
func TestMethodTable(t *testing.T) {
	c := DefaultConfig()
	for k := range entente.ActKinds {
		if c.KindWeights[k] <= 0 {
			t.Errorf("kind %s has no weight", k)
		}
	}
	for k := range c.KindWeights {
		if _, ok := entente.ActKinds[k]; !ok {
			t.Errorf("KindWeights has %q, not a kind of entente.ActKindTable", k)
		}
	}
	for _, p := range entente.OpposedBlocs {
		if _, ok := c.OpposedWeights[p[0]+"/"+p[1]]; !ok {
			t.Errorf("opposed pair %s/%s has no weight", p[0], p[1])
		}
	}
	if len(c.OpposedWeights) != len(entente.OpposedBlocs) {
		t.Errorf("OpposedWeights %v: want one weight per pair of entente.OpposedBlocs", c.OpposedWeights)
	}
	for code := range c.BlocWeights {
		if !entente.IsOrganisation(code) {
			t.Errorf("bloc %s is not an organisation of entente.Organisations", code)
		}
	}
	if err := c.Set("opposed.EU/EAEU", "0.5"); err != nil || c.OpposedWeights["EU/EAEU"] != 0.5 {
		t.Errorf("set opposed.EU/EAEU: %v, %v", err, c.OpposedWeights)
	}
	if DefaultConfig().OpposedWeights["EU/EAEU"] != 0 {
		t.Errorf("Set changed the defaults")
	}
}
