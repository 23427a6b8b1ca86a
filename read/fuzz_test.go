package read

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/entente/entente"
)

var fuzzSeeds = []string{
	"Mr. Smith met Gen. Jones in the U.S. Senate. They talked.",
	"North Korea and Russia signed a mutual defence treaty on 19 June 2024 in Pyongyang.",
	"by the end of 2024; for 2025–26; last year; on Tuesday; 2024-06-19",
	"\"Quoted.\" (Brackets.) Dots... And?! \xff\xfe",
	"<p>Russia &amp; China</p>",
}

// FuzzSplit checks that sentences are in order, inside the text, bounded, and cover
// every non-space byte.
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		kept := 0
		Split(s, func(x Sentence) bool {
			if x.Start < end || x.Start+len(x.Text) > len(s) || s[x.Start:x.Start+len(x.Text)] != x.Text {
				t.Fatalf("sentence %q at %d out of place (previous end %d)", x.Text, x.Start, end)
			}
			if len(x.Text) > MaxSentence {
				t.Fatalf("sentence of %d bytes", len(x.Text))
			}
			end = x.Start + len(x.Text)
			kept += len(strings.Join(strings.Fields(x.Text), ""))
			return true
		})
		if utf8.ValidString(s) && kept != len(strings.Join(strings.Fields(s), "")) {
			t.Fatalf("sentences keep %d non-space bytes of %d", kept, len(strings.Join(strings.Fields(s), "")))
		}
		Default().Read(s, Options{Date: entente.Day(2025, 1, 1), All: true})
	})
}

// FuzzDates checks that dates are well formed intervals and never panic.
func FuzzDates(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, int64(1735689600))
	}
	f.Fuzz(func(t *testing.T, s string, sec int64) {
		anchor := time.Unix(sec%(1<<33), 0).UTC()
		for _, d := range ParseDates(s, anchor) {
			if !d.End.After(d.Start) {
				t.Fatalf("%q: empty interval %v..%v", d.Text, d.Start, d.End)
			}
			if d.Precision > PrecisionUnknown {
				t.Fatalf("%q: precision %d", d.Text, d.Precision)
			}
		}
	})
}
