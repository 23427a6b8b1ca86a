package readcache

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/entente/entente"
)

func codecFlows() []entente.ArmsFlow {
	return []entente.ArmsFlow{
		{Supplier: "RUS", Recipient: "IND", DeliveryYears: []int{2019, 2020, 2021}, TIVDelivered: 812.5},
		{Supplier: "RUS", Recipient: "", DeliveryYears: nil, TIVDelivered: math.NaN()},
		{Supplier: "USA", Recipient: "IND", DeliveryYears: []int{-5, 0}, TIVDelivered: -0.0},
		{Supplier: "", Recipient: "RUS", DeliveryYears: []int{1950}, TIVDelivered: math.Inf(1)},
	}
}

func codecMemberships() []entente.Membership {
	kyiv := time.FixedZone("EET", 2*3600)
	return []entente.Membership{
		{Source: entente.SourceCOWIGO, State: "ARM", CCode: 371, Org: "CSTO", OrgName: "Collective Security Treaty Organization",
			Begin: time.Date(2002, 10, 7, 0, 0, 0, 0, time.UTC), Status: "member", Censored: true, Line: 12},
		{Source: "bloc", State: "ARM", CCode: 371, Org: "CSTO", OrgName: "Collective Security Treaty Organization",
			Begin: time.Date(2024, 2, 22, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 2, 22, 13, 4, 5, 123456789, time.UTC),
			Status: "suspended", Line: -1,
			Cites: []entente.Citation{
				{URL: "https://example.org/a", Title: "Armenia freezes", Publisher: "P", Published: time.Date(2024, 2, 23, 9, 0, 0, 0, kyiv), Checked: true, Quote: "frozen"},
				{URL: "https://example.org/a", Published: time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)},
			}},
		{State: "ÜÑÍ", Cites: []entente.Citation{}},
	}
}

// TestCodecRoundTrip: the compact entries give back the records exactly, as gob does
// (empty slices come back nil from both; times keep their zone).
func TestCodecRoundTrip(t *testing.T) {
	flows := codecFlows()
	b, err := encodeArmsFlows(flows)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeArmsFlows(b)
	if err != nil {
		t.Fatal(err)
	}
	viaGob, err := decodeGob[[]entente.ArmsFlow](must(encodeGob(flows)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(flows) {
		t.Fatalf("%d flows back, want %d", len(got), len(flows))
	}
	for i := range flows {
		g, w := got[i], viaGob[i]
		if math.Float64bits(g.TIVDelivered) != math.Float64bits(flows[i].TIVDelivered) {
			t.Errorf("flow %d: TIV %v, want %v", i, g.TIVDelivered, flows[i].TIVDelivered)
		}
		g.TIVDelivered, w.TIVDelivered = 0, 0
		if !reflect.DeepEqual(g, w) {
			t.Errorf("flow %d: %#v, gob gives %#v", i, g, w)
		}
	}

	ms := codecMemberships()
	b, err = encodeMemberships(ms)
	if err != nil {
		t.Fatal(err)
	}
	gotMs, err := decodeMemberships(b)
	if err != nil {
		t.Fatal(err)
	}
	wantMs, err := decodeGob[[]entente.Membership](must(encodeGob(ms)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotMs, wantMs) {
		t.Errorf("memberships:\n%#v\ngob gives\n%#v", gotMs, wantMs)
	}
	for i := range ms {
		for j := range ms[i].Cites {
			if g, w := gotMs[i].Cites[j].Published, ms[i].Cites[j].Published; !g.Equal(w) || g.Format(time.RFC3339Nano) != w.Format(time.RFC3339Nano) {
				t.Errorf("membership %d cite %d published %v, want %v", i, j, g, w)
			}
		}
	}
	cys := []entente.ConflictYear{
		{ConflictID: 11343, Year: 2014, SideA: entente.ConflictParty{GW: 369, CCode: 369, State: "UKR"},
			SideB: entente.ConflictParty{GW: 365, CCode: 365, State: "RUS"}, Incompatibility: "territory", Intensity: 2, Type: "interstate", Line: 7},
		{ConflictID: 11343, Year: 2015, SideA: entente.ConflictParty{GW: 369, CCode: 369, State: "UKR"},
			SideA2: entente.ConflictParty{GW: -1}, Intensity: 1, Line: -3},
	}
	gotCys, err := decodeConflictYears(must(encodeConflictYears(cys)))
	if err != nil || !reflect.DeepEqual(gotCys, cys) {
		t.Errorf("conflict-years: %#v (%v), want %#v", gotCys, err, cys)
	}
	bs := []entente.Ballot{
		{Source: "unvotes", RollCallID: "5459", Date: time.Date(2015, 12, 17, 0, 0, 0, 0, time.UTC), Session: 70,
			CCodes: []int16{2, 20, 365, -32768, 32767}, Votes: []entente.VoteValue{entente.Yes, entente.No, entente.Abstain, 0, 255}},
		{Source: "unvotes", RollCallID: "5460", Date: time.Date(2015, 12, 17, 0, 0, 0, 0, time.UTC), CCodes: []int16{}},
	}
	gotBs, err := decodeBallots(must(encodeBallots(bs)))
	wantBs, _ := decodeGob[[]entente.Ballot](must(encodeGob(bs)))
	if err != nil || !reflect.DeepEqual(gotBs, wantBs) {
		t.Errorf("ballots: %#v (%v), gob gives %#v", gotBs, err, wantBs)
	}
	ds := []entente.DisputeYear{
		{DispNum: 4597, CCode1: 630, CCode2: 770, Year: 2009, Onset: true, SideA: true, HostLev: 3, HiAct: 11, Fatality: -9, DispHostLev: 3, Line: 10272},
		{DispNum: 1, CCode1: 2, CCode2: 365, Year: 1950, Revisionist: true, HostLev: 1, Fatality: 0, Line: -1},
	}
	gotDs, err := decodeDisputes(must(encodeDisputes(ds)))
	if err != nil || !reflect.DeepEqual(gotDs, ds) {
		t.Errorf("disputes: %#v (%v), want %#v", gotDs, err, ds)
	}
	// Delivery years carved from one block stay each flow's own.
	many := make([]entente.ArmsFlow, 3000)
	for i := range many {
		many[i] = entente.ArmsFlow{Supplier: "USA", Recipient: "GBR", DeliveryYears: []int{1950 + i%70, 1951 + i%70}, TIVDelivered: float64(i)}
	}
	back, err := decodeArmsFlows(must(encodeArmsFlows(many)))
	if err != nil || !reflect.DeepEqual(back, many) {
		t.Fatalf("3,000 flows do not come back: %v", err)
	}
	back[0].DeliveryYears = append(back[0].DeliveryYears, 2099)
	if back[1].DeliveryYears[0] != many[1].DeliveryYears[0] {
		t.Error("appending to one flow's years changed the next flow's")
	}
	if got, err := decodeArmsFlows(must(encodeArmsFlows(nil))); err != nil || got != nil {
		t.Errorf("no flows: %v, %v; want nil", got, err)
	}
}

// TestCodecRefusesDamage: every cut of an entry, and a changed count, is an error (the
// read then goes to the store), never a panic or a short answer.
func TestCodecRefusesDamage(t *testing.T) {
	b := must(encodeMemberships(codecMemberships()))
	for n := range len(b) {
		if _, err := decodeMemberships(b[:n]); err == nil {
			t.Fatalf("a cut at %d of %d bytes decoded", n, len(b))
		}
	}
	if _, err := decodeMemberships(append(append([]byte{}, b...), 0)); err == nil {
		t.Error("a trailing byte decoded")
	}
	f := must(encodeArmsFlows(codecFlows()))
	for n := range len(f) {
		if _, err := decodeArmsFlows(f[:n]); err == nil {
			t.Fatalf("a cut at %d of %d bytes decoded", n, len(f))
		}
	}
	cy := must(encodeConflictYears([]entente.ConflictYear{{ConflictID: 1, Year: 2000, Type: "interstate"}}))
	for n := range len(cy) {
		if _, err := decodeConflictYears(cy[:n]); err == nil {
			t.Fatalf("a cut at %d of %d bytes of conflict-years decoded", n, len(cy))
		}
	}
	dy := must(encodeDisputes([]entente.DisputeYear{{DispNum: 1, Year: 2000, Onset: true}}))
	for n := range len(dy) {
		if _, err := decodeDisputes(dy[:n]); err == nil {
			t.Fatalf("a cut at %d of %d bytes of disputes decoded", n, len(dy))
		}
	}
	bl := must(encodeBallots([]entente.Ballot{{Source: "s", CCodes: []int16{2}, Votes: []entente.VoteValue{1}}}))
	for n := range len(bl) {
		if _, err := decodeBallots(bl[:n]); err == nil {
			t.Fatalf("a cut at %d of %d bytes of ballots decoded", n, len(bl))
		}
	}
	huge := append([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, f[1:]...)
	if _, err := decodeArmsFlows(huge); err == nil {
		t.Error("a count larger than the entry decoded")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(must(encodeMemberships(codecMemberships())))
	f.Add(must(encodeArmsFlows(codecFlows())))
	f.Fuzz(func(t *testing.T, b []byte) {
		// What decodes encodes again, and decodes to the same records: compared by their
		// encoding, since a decoded zone is a new *time.Location each time (equal times,
		// not DeepEqual ones: testdata/fuzz holds such a case).
		if ms, err := decodeMemberships(b); err == nil {
			once, err := encodeMemberships(ms)
			if err != nil {
				t.Fatalf("decoded memberships do not encode: %v", err)
			}
			again, err := decodeMemberships(once)
			if err != nil {
				t.Fatalf("memberships do not survive a round trip: %v", err)
			}
			if twice, err := encodeMemberships(again); err != nil || !bytes.Equal(once, twice) {
				t.Fatalf("memberships change in a round trip (%v)", err)
			}
		}
		decodeArmsFlows(b)
		decodeConflictYears(b)
		decodeBallots(b)
		decodeDisputes(b)
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
