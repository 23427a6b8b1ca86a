package readcache

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/entente/entente"
)

// A compact encoding for the reads that dominate a kept rank's decoding: every state's
// arms flows, memberships, conflict-years and disputes, and the roll calls (tens of thousands of
// records, a few hundred distinct strings). gob spends most of a cached rank's time on them, a string
// allocation per field; here each distinct string is written once and decoded once,
// numbers are varints and UTC times seconds and nanoseconds. A round trip gives back
// the records exactly (TestCodecRoundTrip): other time zones are kept in
// time.Time's own binary form, and empty slices come back nil, as from gob.

var errCorrupt = errors.New("read cache: damaged entry")

type encoder struct {
	buf  []byte
	strs map[string]uint64
	err  error // a time its binary form cannot hold: the read is not kept
}

func newEncoder() *encoder { return &encoder{strs: map[string]uint64{}} }

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) float(f float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(f))
}

// str writes a string seen before as its number + 1, a new one as 0, its length and
// its bytes.
func (e *encoder) str(s string) {
	if i, ok := e.strs[s]; ok {
		e.uint(i + 1)
		return
	}
	e.strs[s] = uint64(len(e.strs))
	e.uint(0)
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// time writes t: 0 for the zero time, 1 and seconds and nanoseconds for a UTC time,
// 2 and time.Time's binary form for any other.
func (e *encoder) time(t time.Time) {
	switch {
	case t == time.Time{}:
		e.buf = append(e.buf, 0)
	case t.Location() == time.UTC && t == time.Unix(t.Unix(), int64(t.Nanosecond())).UTC():
		e.buf = append(e.buf, 1)
		e.int(t.Unix())
		e.uint(uint64(t.Nanosecond()))
	default:
		b, err := t.MarshalBinary()
		if err != nil {
			e.err = err
		}
		e.buf = append(e.buf, 2)
		e.uint(uint64(len(b)))
		e.buf = append(e.buf, b...)
	}
}

type decoder struct {
	buf  []byte
	strs []string
	err  error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.buf = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.buf) < 1 {
		d.fail()
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) float() float64 {
	if len(d.buf) < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.buf))
	d.buf = d.buf[8:]
	return f
}

func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.fail()
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) str() string {
	i := d.uint()
	if d.err != nil {
		return ""
	}
	if i > 0 {
		if i > uint64(len(d.strs)) {
			d.fail()
			return ""
		}
		return d.strs[i-1]
	}
	s := string(d.bytes())
	d.strs = append(d.strs, s)
	return s
}

func (d *decoder) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
		sec := d.int()
		nsec := d.uint()
		if nsec >= 1e9 {
			d.fail()
			return time.Time{}
		}
		return time.Unix(sec, int64(nsec)).UTC()
	case 2:
		var t time.Time
		if b := d.bytes(); len(b) > 0 && t.UnmarshalBinary(b) != nil {
			d.fail()
		}
		return t
	}
	d.fail()
	return time.Time{}
}

// count reads a number of items, each at least min bytes long: a count the rest of
// the entry cannot hold is damage (and no allocation follows it).
func (d *decoder) count(min int) int {
	n := d.uint()
	if n > uint64(len(d.buf)/max(min, 1)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) done() error {
	if d.err == nil && len(d.buf) != 0 {
		d.fail()
	}
	return d.err
}

// encodeList writes the number of items, then each item.
func encodeList[T any](xs []T, item func(*encoder, *T)) ([]byte, error) {
	e := newEncoder()
	e.uint(uint64(len(xs)))
	for i := range xs {
		item(e, &xs[i])
	}
	return e.buf, e.err
}

// decodeList reads what encodeList wrote, each item at least least bytes long. No items
// come back nil, as from gob.
func decodeList[T any](b []byte, least int, item func(*decoder, *T)) ([]T, error) {
	d := &decoder{buf: b}
	n := d.count(least)
	var out []T
	if n > 0 {
		out = make([]T, n)
	}
	for i := range out {
		item(d, &out[i])
		if d.err != nil {
			return nil, d.err
		}
	}
	return out, d.done()
}

func encodeArmsFlows(fs []entente.ArmsFlow) ([]byte, error) {
	return encodeList(fs, func(e *encoder, f *entente.ArmsFlow) {
		e.str(f.Supplier)
		e.str(f.Recipient)
		e.uint(uint64(len(f.DeliveryYears)))
		for _, y := range f.DeliveryYears {
			e.int(int64(y))
		}
		e.float(f.TIVDelivered)
	})
}

func decodeArmsFlows(b []byte) ([]entente.ArmsFlow, error) {
	var years []int // the flows' delivery years, carved from shared blocks: one allocation for many flows
	return decodeList(b, 11, func(d *decoder, f *entente.ArmsFlow) {
		f.Supplier = d.str()
		f.Recipient = d.str()
		if k := d.count(1); k > 0 {
			if len(years) < k {
				years = make([]int, max(k, 4096))
			}
			f.DeliveryYears, years = years[:k:k], years[k:]
			for j := range f.DeliveryYears {
				f.DeliveryYears[j] = int(d.int())
			}
		}
		f.TIVDelivered = d.float()
	})
}

func encodeMemberships(ms []entente.Membership) ([]byte, error) {
	return encodeList(ms, func(e *encoder, m *entente.Membership) {
		e.str(m.Source)
		e.str(m.State)
		e.int(int64(m.CCode))
		e.str(m.Org)
		e.str(m.OrgName)
		e.time(m.Begin)
		e.time(m.End)
		e.str(m.Status)
		e.bool(m.Censored)
		e.uint(uint64(len(m.Cites)))
		for _, c := range m.Cites {
			e.str(c.URL)
			e.str(c.Title)
			e.str(c.Publisher)
			e.time(c.Published)
			e.bool(c.Checked)
			e.str(c.Quote)
		}
		e.int(int64(m.Line))
	})
}

func decodeMemberships(b []byte) ([]entente.Membership, error) {
	return decodeList(b, 11, func(d *decoder, m *entente.Membership) {
		m.Source = d.str()
		m.State = d.str()
		m.CCode = int(d.int())
		m.Org = d.str()
		m.OrgName = d.str()
		m.Begin = d.time()
		m.End = d.time()
		m.Status = d.str()
		m.Censored = d.bool()
		if k := d.count(6); k > 0 {
			m.Cites = make([]entente.Citation, k)
			for j := range m.Cites {
				c := &m.Cites[j]
				c.URL = d.str()
				c.Title = d.str()
				c.Publisher = d.str()
				c.Published = d.time()
				c.Checked = d.bool()
				c.Quote = d.str()
			}
		}
		m.Line = int(d.int())
	})
}

func (e *encoder) party(p entente.ConflictParty) {
	e.int(int64(p.GW))
	e.int(int64(p.CCode))
	e.str(p.State)
}

func (d *decoder) party() entente.ConflictParty {
	return entente.ConflictParty{GW: int(d.int()), CCode: int(d.int()), State: d.str()}
}

func encodeConflictYears(cs []entente.ConflictYear) ([]byte, error) {
	return encodeList(cs, func(e *encoder, c *entente.ConflictYear) {
		e.int(int64(c.ConflictID))
		e.int(int64(c.Year))
		e.party(c.SideA)
		e.party(c.SideA2)
		e.party(c.SideB)
		e.party(c.SideB2)
		e.str(c.Incompatibility)
		e.int(int64(c.Intensity))
		e.str(c.Type)
		e.int(int64(c.Line))
	})
}

func decodeConflictYears(b []byte) ([]entente.ConflictYear, error) {
	return decodeList(b, 18, func(d *decoder, c *entente.ConflictYear) {
		c.ConflictID = int(d.int())
		c.Year = int(d.int())
		c.SideA = d.party()
		c.SideA2 = d.party()
		c.SideB = d.party()
		c.SideB2 = d.party()
		c.Incompatibility = d.str()
		c.Intensity = int(d.int())
		c.Type = d.str()
		c.Line = int(d.int())
	})
}

func encodeBallots(bs []entente.Ballot) ([]byte, error) {
	return encodeList(bs, func(e *encoder, b *entente.Ballot) {
		e.str(b.Source)
		e.str(b.RollCallID)
		e.time(b.Date)
		e.int(int64(b.Session))
		e.uint(uint64(len(b.CCodes)))
		for _, c := range b.CCodes {
			e.int(int64(c))
		}
		e.uint(uint64(len(b.Votes)))
		for _, v := range b.Votes {
			e.buf = append(e.buf, byte(v))
		}
	})
}

func decodeBallots(b []byte) ([]entente.Ballot, error) {
	return decodeList(b, 6, func(d *decoder, r *entente.Ballot) {
		r.Source = d.str()
		r.RollCallID = d.str()
		r.Date = d.time()
		r.Session = int(d.int())
		if k := d.count(1); k > 0 {
			r.CCodes = make([]int16, k)
			for j := range r.CCodes {
				v := d.int()
				if v < math.MinInt16 || v > math.MaxInt16 {
					d.fail()
				}
				r.CCodes[j] = int16(v)
			}
		}
		if k := d.count(1); k > 0 {
			r.Votes = make([]entente.VoteValue, k)
			for j := range r.Votes {
				r.Votes[j] = entente.VoteValue(d.byte())
			}
		}
	})
}

func encodeDisputes(ds []entente.DisputeYear) ([]byte, error) {
	return encodeList(ds, func(e *encoder, d *entente.DisputeYear) {
		for _, v := range [...]int{d.DispNum, d.CCode1, d.CCode2, d.Year, d.HostLev, d.HiAct, d.Fatality, d.DispHostLev, d.Line} {
			e.int(int64(v))
		}
		e.bool(d.Onset)
		e.bool(d.SideA)
		e.bool(d.Revisionist)
	})
}

func decodeDisputes(b []byte) ([]entente.DisputeYear, error) {
	return decodeList(b, 12, func(d *decoder, r *entente.DisputeYear) {
		for _, p := range [...]*int{&r.DispNum, &r.CCode1, &r.CCode2, &r.Year, &r.HostLev, &r.HiAct, &r.Fatality, &r.DispHostLev, &r.Line} {
			*p = int(d.int())
		}
		r.Onset = d.bool()
		r.SideA = d.bool()
		r.Revisionist = d.bool()
	})
}
