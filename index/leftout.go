package index

import (
	"fmt"
	"strings"

	"github.com/entente/entente"
)

// LeftOut is a state a ranking leaves out: nothing is known of the dyad itself (no
// signal, or only the absence of a shared bloc or the third-party term), so it has no
// score. Why says what is missing, from the notes of the signals it lacks.
type LeftOut struct {
	State entente.Country
	Why   string
}

// leftOut names the state of an unknown score and why it has none.
func leftOut(s *Score) LeftOut {
	var missing []string
	third := false
	for k := range Signals {
		c := s.Signals[k]
		switch {
		case k == kThird:
			third = c.Available()
		case c.Available(): // only the absence of a shared bloc: weak, not direct evidence
		case c.Note != "" && !strings.Contains(strings.Join(missing, "; "), c.Note):
			missing = append(missing, c.Note)
		}
	}
	why := "no direct evidence"
	if len(missing) > 0 {
		why += ": " + strings.Join(missing, "; ")
	}
	if third {
		why += "; dealings with third parties alone make no score"
	}
	return LeftOut{State: s.Other, Why: why}
}

// leftOutNotes are the note lines naming the states left out, grouped by why, at most
// maxNamed states named.
func leftOutNotes(out []LeftOut) []string {
	const maxNamed = 20
	if len(out) == 0 {
		return nil
	}
	var order []string
	byWhy := map[string][]string{}
	for i, l := range out {
		if i == maxNamed {
			break
		}
		if _, ok := byWhy[l.Why]; !ok {
			order = append(order, l.Why)
		}
		byWhy[l.Why] = append(byWhy[l.Why], fmt.Sprintf("%s (%s)", l.State.Name, l.State.ID))
	}
	var notes []string
	for _, why := range order {
		notes = append(notes, fmt.Sprintf("left out: %s: %s", strings.Join(byWhy[why], ", "), why))
	}
	if len(out) > maxNamed {
		notes = append(notes, fmt.Sprintf("left out: %d more states without direct evidence (the API's left_out lists every one)", len(out)-maxNamed))
	}
	return notes
}
