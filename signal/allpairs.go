package signal

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/entente/entente"
)

// group is the roll calls of one period.
type group struct {
	key     string
	ballots []*entente.Ballot
}

// groupByPeriod splits ballots by period key, leaving out those with the empty key;
// groups come in periodLess order and keep the ballots' order inside.
func groupByPeriod(ballots []entente.Ballot, period Period) []group {
	index := map[string]int{}
	var groups []group
	for i := range ballots {
		b := &ballots[i]
		key := period(b)
		if key == "" {
			continue
		}
		g, ok := index[key]
		if !ok {
			g = len(groups)
			index[key] = g
			groups = append(groups, group{key: key})
		}
		groups[g].ballots = append(groups[g].ballots, b)
	}
	slices.SortStableFunc(groups, func(a, b group) int {
		switch {
		case periodLess(a.key, b.key):
			return -1
		case periodLess(b.key, a.key):
			return 1
		}
		return 0
	})
	return groups
}

// periodBits holds one period's votes as bitsets: for state s (ccodes[s]) and word w of
// the period's roll calls, bits[(s*words+w)*3+k] has bit r set when the state voted k+1
// (yes, abstain, no) on roll call 64w+r. The three kinds of a word sit side by side so a
// pair reads both states' words in one sweep.
type periodBits struct {
	key    string
	ccodes []int16 // states that cast at least one vote in the period, ascending
	words  int
	bits   []uint64
}

// state returns the 3·words words of state s.
func (p *periodBits) state(s int) []uint64 {
	n := 3 * p.words
	return p.bits[s*n : (s+1)*n : (s+1)*n]
}

// buildBits fills the bitsets of one period. slot is scratch indexed by uint16(ccode),
// all -1 on entry and on return.
func buildBits(g group, slot []int32) periodBits {
	p := periodBits{key: g.key, words: (len(g.ballots) + 63) / 64}
	for _, b := range g.ballots {
		for k, cc := range b.CCodes {
			if k > 0 && b.CCodes[k-1] == cc {
				continue // listed twice: the first entry counts
			}
			if b.Votes[k].Cast() && slot[uint16(cc)] < 0 {
				slot[uint16(cc)] = 0
				p.ccodes = append(p.ccodes, cc)
			}
		}
	}
	slices.Sort(p.ccodes)
	for s, cc := range p.ccodes {
		slot[uint16(cc)] = int32(s)
	}
	p.bits = make([]uint64, len(p.ccodes)*3*p.words)
	for r, b := range g.ballots {
		w, bit := r/64, uint64(1)<<(r%64)
		for k, cc := range b.CCodes {
			if v := b.Votes[k]; v.Cast() && (k == 0 || b.CCodes[k-1] != cc) {
				p.bits[(int(slot[uint16(cc)])*p.words+w)*3+int(v-1)] |= bit
			}
		}
	}
	for _, cc := range p.ccodes {
		slot[uint16(cc)] = -1
	}
	return p
}

// newSlot returns the scratch buildBits needs.
func newSlot() []int32 {
	slot := make([]int32, 1<<16)
	for i := range slot {
		slot[i] = -1
	}
	return slot
}

// bitsTable counts the contingency table of two states from their words (state's
// layout): each cell is the popcount of an AND.
func bitsTable(a, b []uint64) Table {
	var t00, t01, t02, t10, t11, t12, t20, t21, t22 int
	b = b[:len(a)]
	for w := 0; w+2 < len(a); w += 3 {
		a0, a1, a2 := a[w], a[w+1], a[w+2]
		b0, b1, b2 := b[w], b[w+1], b[w+2]
		t00 += bits.OnesCount64(a0 & b0)
		t01 += bits.OnesCount64(a0 & b1)
		t02 += bits.OnesCount64(a0 & b2)
		t10 += bits.OnesCount64(a1 & b0)
		t11 += bits.OnesCount64(a1 & b1)
		t12 += bits.OnesCount64(a1 & b2)
		t20 += bits.OnesCount64(a2 & b0)
		t21 += bits.OnesCount64(a2 & b1)
		t22 += bits.OnesCount64(a2 & b2)
	}
	return Table{
		{int64(t00), int64(t01), int64(t02)},
		{int64(t10), int64(t11), int64(t12)},
		{int64(t20), int64(t21), int64(t22)},
	}
}

// AllPairs returns the similarity of every unordered dyad (A < B) in every period where
// the two states both cast a vote on at least one roll call, ordered by period (see
// Period keys: numeric keys by number, others as strings), then A, then B. Each ballot's
// CCodes must be ascending, as the store returns them; a state listed twice on one roll
// call counts with its first entry only (Voeten's file repeats a few), and votes other
// than yes, abstain and no are ignored. The work is spread over workers goroutines
// (GOMAXPROCS when workers <= 0). Rows of one period share its key string.
func AllPairs(ballots []entente.Ballot, period Period, workers int) []entente.Similarity {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pl := newPlan(ballots, period, workers)
	// Each unit writes into its own region of out, sized for all its pairs; regions
	// are compacted afterwards to drop the pairs with n = 0.
	out := make([]entente.Similarity, pl.total)
	count := make([]int, len(pl.units))
	parallel(workers, len(pl.units), func() func(int) {
		return func(u int) { count[u] = pl.compute(u, out[pl.units[u].off:]) }
	})
	w := 0
	for u, un := range pl.units {
		if w != un.off {
			copy(out[w:], out[un.off:un.off+count[u]])
		}
		w += count[u]
	}
	return out[:w:w]
}

// plan is the all-pairs work: each period's bitsets, and the units of work. One unit is
// row i of a period: the pairs (i, j > i).
type plan struct {
	periods []periodBits
	units   []unit
	total   int // pairs over all units
	widest  int // pairs of the largest unit
}

type unit struct{ p, i, off int }

func newPlan(ballots []entente.Ballot, period Period, workers int) *plan {
	groups := groupByPeriod(ballots, period)
	pl := &plan{periods: make([]periodBits, len(groups))}
	parallel(workers, len(groups), func() func(int) {
		slot := newSlot()
		return func(i int) { pl.periods[i] = buildBits(groups[i], slot) }
	})
	for p := range pl.periods {
		s := len(pl.periods[p].ccodes)
		for i := 0; i+1 < s; i++ {
			pl.units = append(pl.units, unit{p: p, i: i, off: pl.total})
			pl.total += s - 1 - i
			pl.widest = max(pl.widest, s-1-i)
		}
	}
	return pl
}

// compute writes the dyads of unit u with n > 0 to dst, in order of B, and returns how
// many it wrote. dst must have room for all the unit's pairs.
func (pl *plan) compute(u int, dst []entente.Similarity) int {
	un := &pl.units[u]
	pb := &pl.periods[un.p]
	a := pb.state(un.i)
	k := 0
	for j := un.i + 1; j < len(pb.ccodes); j++ {
		t := bitsTable(a, pb.state(j))
		n, v := metrics(&t)
		if n == 0 {
			continue
		}
		dst[k] = entente.Similarity{A: int(pb.ccodes[un.i]), B: int(pb.ccodes[j]), Period: pb.key, N: n, Values: v}
		k++
	}
	return k
}

// parallel runs n tasks over workers goroutines, handing out task indexes in order.
// newWorker is called once per goroutine, so each can own its scratch space.
func parallel(workers, n int, newWorker func() func(int)) {
	workers = min(workers, n)
	if workers <= 1 {
		if n > 0 {
			do := newWorker()
			for i := range n {
				do(i)
			}
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
}

// Focal returns the similarity of state ccode with every other state, in every period
// where both cast a vote on at least one roll call, as dyads A < B ordered by period,
// A, B. It counts votes directly, without bitsets, as one state needs a single pass.
func Focal(ballots []entente.Ballot, period Period, ccode int) []entente.Similarity {
	if ccode < -1<<15 || ccode >= 1<<15 {
		return nil
	}
	focal := int16(ccode)
	var out []entente.Similarity
	slot := newSlot()
	for _, g := range groupByPeriod(ballots, period) {
		var tables []Table
		var others []int16
		for _, b := range g.ballots {
			fv := voteOf(b, focal)
			if !fv.Cast() {
				continue
			}
			for k, cc := range b.CCodes {
				v := b.Votes[k]
				if cc == focal || !v.Cast() || k > 0 && b.CCodes[k-1] == cc {
					continue
				}
				s := slot[uint16(cc)]
				if s < 0 {
					s = int32(len(tables))
					slot[uint16(cc)] = s
					tables = append(tables, Table{})
					others = append(others, cc)
				}
				tables[s][fv-1][v-1]++
			}
		}
		for _, cc := range others {
			slot[uint16(cc)] = -1
		}
		order := make([]int, len(others))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(x, y int) int { return int(others[x]) - int(others[y]) })
		for _, s := range order {
			n, v := metrics(&tables[s])
			a, b := ccode, int(others[s])
			if b < a {
				a, b = b, a
			}
			out = append(out, entente.Similarity{A: a, B: b, Period: g.key, N: n, Values: v})
		}
	}
	return out
}

// Dyad returns the similarity of states a and b (in either order; rows have A < B) in
// every period where both cast a vote on at least one roll call, ordered by period.
// It returns nil when a == b.
func Dyad(ballots []entente.Ballot, period Period, a, b int) []entente.Similarity {
	if a == b || a < -1<<15 || a >= 1<<15 || b < -1<<15 || b >= 1<<15 {
		return nil
	}
	if b < a {
		a, b = b, a
	}
	var out []entente.Similarity
	for _, g := range groupByPeriod(ballots, period) {
		var t Table
		for _, bl := range g.ballots {
			t.Add(voteOf(bl, int16(a)), voteOf(bl, int16(b)))
		}
		if n, v := metrics(&t); n > 0 {
			out = append(out, entente.Similarity{A: a, B: b, Period: g.key, N: n, Values: v})
		}
	}
	return out
}

// voteOf returns the vote of state cc on b (its first entry), or 0 when it has none.
func voteOf(b *entente.Ballot, cc int16) entente.VoteValue {
	if k, ok := slices.BinarySearch(b.CCodes, cc); ok {
		return b.Votes[k]
	}
	return 0
}
