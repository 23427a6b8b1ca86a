package signal

import (
	"bufio"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/entente/entente"
)

// Decimals is the number of decimals of AppendFixed (machine output now carries full
// precision through AppendFloat; AppendFixed remains for fixed-width needs): finer
// than any of the metrics can be estimated, and stable across platforms.
const Decimals = 6

// AppendFixed appends v with exactly Decimals decimals ("0.750000", "-0.062500"), or
// nothing for NaN, the undefined value, so a CSV field comes out empty. It gives the
// same digits as strconv.AppendFloat(dst, v, 'f', Decimals, 64), except that it never
// writes "-0.000000". It is the formatter of bulk output (the all-pairs CSV spent most
// of its time in strconv): for |v| < 1000 it rounds v·10⁶ to an integer and prints
// that, several times faster (BenchmarkAppendFixed); values within 10⁻⁶ of a rounding
// tie, where the product's own rounding could tip the digit, go to strconv.
func AppendFixed(dst []byte, v float64) []byte {
	if math.IsNaN(v) {
		return dst
	}
	y := v * 1e6
	neg := y < 0
	if neg {
		y = -y
	}
	whole := uint64(y)
	if !(y < 1e9) || (y-float64(whole) > 0.5-1e-6 && y-float64(whole) < 0.5+1e-6) {
		start := len(dst)
		dst = strconv.AppendFloat(dst, v, 'f', Decimals, 64)
		if string(dst[start:]) == "-0.000000" {
			dst = append(dst[:start], "0.000000"...)
		}
		return dst
	}
	x := uint64(y + 0.5)
	ip := x / 1e6
	if ip >= 10 {
		// Rare for the metrics, which lie in [-1, 1].
		if neg && x != 0 {
			dst = append(dst, '-')
		}
		dst = strconv.AppendUint(dst, ip, 10)
		return appendSix(dst, x-ip*1e6)
	}
	// The common case in one write: [-]d.dddddd.
	var b [9]byte
	i := 0
	if neg && x != 0 {
		b[0] = '-'
		i = 1
	}
	f := x - ip*1e6
	hi, mid, lo := f/10000, f/100%100, f%100
	b[i] = byte('0' + ip)
	b[i+1] = '.'
	b[i+2], b[i+3] = digitPairs[2*hi], digitPairs[2*hi+1]
	b[i+4], b[i+5] = digitPairs[2*mid], digitPairs[2*mid+1]
	b[i+6], b[i+7] = digitPairs[2*lo], digitPairs[2*lo+1]
	return append(dst, b[:i+8]...)
}

// appendSix appends "." and f (< 10⁶) as six digits.
func appendSix(dst []byte, f uint64) []byte {
	hi, mid, lo := f/10000, f/100%100, f%100
	return append(dst, '.', digitPairs[2*hi], digitPairs[2*hi+1],
		digitPairs[2*mid], digitPairs[2*mid+1], digitPairs[2*lo], digitPairs[2*lo+1])
}

// appendInt appends n in decimal; small non-negative numbers (COW codes, counts) without
// strconv's general path.
func appendInt(dst []byte, n int) []byte {
	if n < 0 || n >= 10000 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	if n < 10 {
		return append(dst, byte('0'+n))
	}
	if n < 100 {
		return append(dst, digitPairs[2*n], digitPairs[2*n+1])
	}
	hi, lo := n/100, n%100
	if hi < 10 {
		return append(dst, byte('0'+hi), digitPairs[2*lo], digitPairs[2*lo+1])
	}
	return append(dst, digitPairs[2*hi], digitPairs[2*hi+1], digitPairs[2*lo], digitPairs[2*lo+1])
}

// digitPairs holds "00" to "99", for writing two decimal digits at a time.
const digitPairs = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" +
	"30313233343536373839" + "40414243444546474849" + "50515253545556575859" +
	"60616263646566676869" + "70717273747576777879" + "80818283848586878889" +
	"90919293949596979899"

// CSVHeader is the header of WriteCSV for the given metrics (indexes into
// entente.SimilarityMetrics).
func CSVHeader(metrics []int) string {
	h := "iso3_a,iso3_b,ccode_a,ccode_b,period,n"
	for _, m := range metrics {
		h += "," + entente.SimilarityMetrics[m]
	}
	return h
}

// WriteCSV writes rows as CSV with CSVHeader's columns, formatting chunks of rows on
// workers goroutines (GOMAXPROCS when <= 0) and writing them in order. label names the
// state with COW number ccode in period (its registry ID); it is called concurrently,
// and at most once per state and period by each worker. Undefined values are empty
// fields.
func WriteCSV(w io.Writer, rows []entente.Similarity, metrics []int, label func(ccode int, period string) string, workers int) error {
	const chunk = 8192
	return writeOrdered(w, CSVHeader(metrics), (len(rows)+chunk-1)/chunk, workers, label,
		func(c int, b []byte, cache *labelCache, _ []entente.Similarity) []byte {
			for i := c * chunk; i < min((c+1)*chunk, len(rows)); i++ {
				b = appendRow(b, &rows[i], metrics, cache)
			}
			return b
		})
}

// WriteAllPairsCSV writes what WriteCSV(w, AllPairs(ballots, period, workers), ...)
// writes, without holding every row in memory: each worker computes a few periods'
// rows of the pair matrix and formats them at once. It is the bulk path of
// 'entente similarity --all' (bench/unvotes_allpairs measures it).
func WriteAllPairsCSV(w io.Writer, ballots []entente.Ballot, period Period, metrics []int, label func(ccode int, period string) string, workers int) error {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	pl := newPlan(ballots, period, workers)
	// Chunks are runs of consecutive units of about 8,192 pairs.
	var starts []int
	pairs := 0
	for u, un := range pl.units {
		if u == 0 || pairs >= 8192 {
			starts = append(starts, u)
			pairs = 0
		}
		pairs += len(pl.periods[un.p].ccodes) - 1 - un.i
	}
	starts = append(starts, len(pl.units))
	return writeOrdered(w, CSVHeader(metrics), len(starts)-1, workers, label,
		func(c int, b []byte, cache *labelCache, scratch []entente.Similarity) []byte {
			for u := starts[c]; u < starts[c+1]; u++ {
				n := pl.compute(u, scratch[:pl.widest])
				for i := range n {
					b = appendRow(b, &scratch[i], metrics, cache)
				}
			}
			return b
		}, pl.widest)
}

// writeOrdered writes header and then nchunks chunks in order, each formatted by fill on
// one of workers goroutines. At most 2·workers chunks are formatted ahead of the writer,
// so memory stays bounded; buffers are reused. scratchRows sizes each worker's scratch.
func writeOrdered(w io.Writer, header string, nchunks, workers int, label func(int, string) string,
	fill func(c int, b []byte, cache *labelCache, scratch []entente.Similarity) []byte, scratchRows ...int) error {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(header)
	bw.WriteByte('\n')
	done := make([]chan []byte, nchunks)
	for i := range done {
		done[i] = make(chan []byte, 1)
	}
	free := make(chan []byte, 2*workers)
	ahead := make(chan struct{}, 2*workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, nchunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cache := labelCache{label: label}
			var scratch []entente.Similarity
			if len(scratchRows) > 0 {
				scratch = make([]entente.Similarity, scratchRows[0])
			}
			for {
				ahead <- struct{}{}
				c := int(next.Add(1)) - 1
				if c >= nchunks {
					<-ahead
					return
				}
				var b []byte
				select {
				case b = <-free:
				default:
					b = make([]byte, 0, 1<<20)
				}
				done[c] <- fill(c, b[:0], &cache, scratch)
			}
		}()
	}
	var err error
	for c := range nchunks {
		b := <-done[c]
		if err == nil {
			_, err = bw.Write(b)
		}
		select {
		case free <- b:
		default:
		}
		<-ahead
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return bw.Flush()
}

// labelCache keeps one worker's labels of the current period, indexed by COW number.
type labelCache struct {
	label  func(int, string) string
	period string
	gen    uint32   // bumped at each new period
	stamp  []uint32 // stamp[cc] == gen when names[cc] holds cc's label in period
	names  []string
}

func (c *labelCache) get(ccode int, period string) string {
	if c.label == nil {
		return ""
	}
	if ccode < 0 || ccode >= 1<<15 {
		return c.label(ccode, period)
	}
	if c.stamp == nil {
		c.stamp = make([]uint32, 1<<15)
		c.names = make([]string, 1<<15)
	}
	if period != c.period || c.gen == 0 {
		c.period = period
		c.gen++
	}
	if c.stamp[ccode] != c.gen {
		c.names[ccode] = c.label(ccode, period)
		c.stamp[ccode] = c.gen
	}
	return c.names[ccode]
}

func appendRow(b []byte, r *entente.Similarity, metrics []int, cache *labelCache) []byte {
	b = appendCSVField(b, cache.get(r.A, r.Period))
	b = append(b, ',')
	b = appendCSVField(b, cache.get(r.B, r.Period))
	b = append(b, ',')
	b = appendInt(b, r.A)
	b = append(b, ',')
	b = appendInt(b, r.B)
	b = append(b, ',')
	b = appendCSVField(b, r.Period)
	b = append(b, ',')
	b = appendInt(b, r.N)
	for _, m := range metrics {
		b = append(b, ',')
		b = AppendFloat(b, r.Values[m]) // full precision, shortest round-trip
	}
	return append(b, '\n')
}

func appendCSVField(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			b = append(b, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' {
					b = append(b, '"')
				}
				b = append(b, s[j])
			}
			return append(b, '"')
		}
	}
	return append(b, s...)
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
