package entente_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestParseDateSpec(t *testing.T) {
	day := entente.Day
	for _, tt := range []struct {
		in         string
		start, end time.Time
		prec       entente.Precision
	}{
		{"2019", day(2019, 1, 1), day(2020, 1, 1), entente.PrecisionYear},
		{"2024-02", day(2024, 2, 1), day(2024, 3, 1), entente.PrecisionMonth},
		{"2024-02-29", day(2024, 2, 29), day(2024, 3, 1), entente.PrecisionDay},
		{"1991-12", day(1991, 12, 1), day(1992, 1, 1), entente.PrecisionMonth},
	} {
		got, err := entente.ParseDateSpec(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if !got.Start.Equal(tt.start) || !got.End.Equal(tt.end) || got.Precision != tt.prec {
			t.Errorf("%s: got %v..%v %v, want %v..%v %v", tt.in, got.Start, got.End, got.Precision, tt.start, tt.end, tt.prec)
		}
	}
	for _, bad := range []string{"", "19", "2023-13", "2023-02-30", "2023/01", "abcd", "0000", "2023-1-1"} {
		_, err := entente.ParseDateSpec(bad)
		if err == nil || entente.ErrorCode(err) != entente.EINVALID {
			t.Errorf("%q: err = %v, want an EINVALID error", bad, err)
		}
	}
}

func TestErrorCode(t *testing.T) {
	pe := &entente.ParseError{File: "x.csv", Line: 3, Column: 2, Field: "vote", Err: fmt.Errorf("%w %q", entente.ErrBadVote, "5")}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{entente.Errorf(entente.ENOTFOUND, "no"), entente.ENOTFOUND},
		{fmt.Errorf("wrapped: %w", entente.Errorf(entente.ECONFLICT, "busy")), entente.ECONFLICT},
		{fmt.Errorf("import: %w", pe), entente.EINVALID},
		{errors.New("disk on fire"), entente.EINTERNAL},
	} {
		if got := entente.ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if got, want := pe.Error(), `x.csv:3:2: field vote: bad vote code "5"`; got != want {
		t.Errorf("ParseError = %q, want %q", got, want)
	}
	if !errors.Is(fmt.Errorf("x: %w", pe), entente.ErrBadVote) {
		t.Error("errors.Is does not reach the sentinel through ParseError")
	}
	if got, want := (&entente.ParseError{File: "f", Err: entente.ErrEmpty}).Error(), "f: empty file"; got != want {
		t.Errorf("ParseError without line = %q, want %q", got, want)
	}
}

func TestCountryExistsAt(t *testing.T) {
	ussr := entente.Country{ID: "SUN", Begin: entente.Day(1922, 12, 30), End: entente.Day(1991, 12, 25)}
	rus := entente.Country{ID: "RUS", Begin: entente.Day(1991, 12, 26)}
	for _, tt := range []struct {
		c    entente.Country
		at   time.Time
		want bool
	}{
		{ussr, entente.Day(1991, 12, 25), true},
		{ussr, entente.Day(1991, 12, 26), false},
		{ussr, entente.Day(1922, 12, 29), false},
		{rus, entente.Day(1991, 12, 26), true},
		{rus, entente.Day(2024, 1, 1), true},
		{rus, time.Time{}, true},
	} {
		if got := tt.c.ExistsAt(tt.at); got != tt.want {
			t.Errorf("%s.ExistsAt(%s) = %v, want %v", tt.c.ID, tt.at.Format(time.DateOnly), got, tt.want)
		}
	}
	if !ussr.Overlaps(entente.Day(1991, 1, 1), entente.Day(1992, 1, 1)) || ussr.Overlaps(entente.Day(1992, 1, 1), time.Time{}) || !rus.Overlaps(time.Time{}, time.Time{}) {
		t.Error("Overlaps is wrong at the spell edges")
	}
}

func TestSelectByPrecedence(t *testing.T) {
	d := entente.Day
	b := func(src string, at time.Time) entente.Ballot {
		return entente.Ballot{Source: src, RollCallID: src + at.Format("0102"), Date: at}
	}
	cov := []entente.SourceCoverage{
		{Source: entente.SourceUNVotes, First: d(1946, 1, 1), Last: d(2019, 12, 31)},
		{Source: entente.SourceVoeten, First: d(1946, 1, 1), Last: d(2024, 6, 4)},
		{Source: entente.SourceUNDL, First: d(2025, 1, 15), Last: d(2025, 12, 29)},
	}
	in := []entente.Ballot{
		b(entente.SourceUNVotes, d(1980, 5, 1)), // inside Voeten's coverage: dropped
		b(entente.SourceVoeten, d(1980, 5, 1)),
		b(entente.SourceVoeten, d(2024, 6, 4)),
		b(entente.SourceUNDL, d(2025, 3, 1)),
		b("other", d(2025, 3, 2)), // an unknown source ranks last: inside UNDL's coverage
		b("other", d(2026, 1, 1)), // outside everyone's coverage: kept
	}
	got := entente.SelectByPrecedence(in, cov)
	var ids []string
	for _, x := range got {
		ids = append(ids, x.RollCallID)
	}
	want := []string{"voeten0501", "voeten0604", "undl0301", "other0101"}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("kept %v, want %v", ids, want)
	}
	// Without Voeten in the store (e.g. only issue-coded roll calls), unvotes is used.
	got = entente.SelectByPrecedence(in[:1], cov[:1])
	if len(got) != 1 {
		t.Errorf("unvotes alone: kept %d ballots, want 1", len(got))
	}
	if len(in) != 6 || in[0].Source != entente.SourceUNVotes {
		t.Error("SelectByPrecedence modified its input")
	}
}

func TestVoteValue(t *testing.T) {
	for v, want := range map[entente.VoteValue]string{1: "yes", 2: "abstain", 3: "no", 8: "absent", 9: "non-member", 4: "invalid"} {
		if v.String() != want {
			t.Errorf("%d: %q, want %q", v, v.String(), want)
		}
		if v.Cast() != (v >= 1 && v <= 3) {
			t.Errorf("%d: Cast() = %v", v, v.Cast())
		}
	}
}

func TestEventSignalMerge(t *testing.T) {
	a := entente.EventSignal{A: "USA", B: "GBR", Period: "2015", N: 2, Quad: [4]int64{1, 0, 0, 1}, GoldsteinSum: 4, Weight: 2}
	a.Merge(entente.EventSignal{A: "GBR", B: "USA", Period: "2015", N: 2, Quad: [4]int64{0, 1, 1, 0}, GoldsteinSum: 2, Weight: 4})
	if a.A != "USA" || a.N != 4 || a.Quad != [4]int64{1, 1, 1, 1} || a.Weight != 6 || a.GoldsteinMean != 1 || a.CoopShare != 0.5 {
		t.Errorf("merged = %+v", a)
	}
	var empty entente.EventSignal
	empty.Merge(entente.EventSignal{})
	if empty.GoldsteinMean == empty.GoldsteinMean || empty.CoopShare == empty.CoopShare { // NaN
		t.Errorf("merging nothing gave numbers: %+v", empty)
	}
}
