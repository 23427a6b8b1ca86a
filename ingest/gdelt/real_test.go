package gdelt

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/entente/entente"
	"os"
	"path/filepath"
	"testing"
)

// sharedData is the project's copy of the real GDELT files (../shared/data/gdelt from
// the project root); tests needing it skip when it is absent.
func sharedData(tb testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "data", "gdelt")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("real data absent (%s): %v; these tests need the shared datasets", dir, err)
	}
	return dir
}

// lineCount counts the lines of a file as Read does (a last line without a newline counts).
func lineCount(t *testing.T, path string) int {
	t.Helper()
	b := readFile(t, path)
	n := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// TestRealFiles reads every real GDELT file: every line is a row, a bad row, a blank
// line or the skipped header, and (for these files) every line is a good row.
func TestRealFiles(t *testing.T) {
	dir := sharedData(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	v2, _ := filepath.Glob(filepath.Join(dir, "v2", "*.CSV"))
	paths = append(paths, v2...)
	if len(paths) != 11 {
		t.Errorf("%d real files, want 11 (2 samples, 5 exports, 4 mentions)", len(paths))
	}
	for _, p := range paths {
		name := filepath.Base(p)
		f, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var bad []string
		l, st, err := Read(f, p, func(r Row) error {
			if b, ok := r.(*BadRow); ok {
				bad = append(bad, b.Err.Error())
			}
			return nil
		})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, name, st)
		header := 0
		if st.HeaderLine > 0 {
			header = 1
		}
		if n := lineCount(t, p); st.Lines != n || st.Rows+header != n || len(bad) != 0 {
			t.Errorf("%s: %d lines read of %d, %d rows, header %d, bad %q", name, st.Lines, n, st.Rows, header, bad)
		}
		want := LayoutExport
		switch {
		case strings.Contains(name, "mentions"):
			want = LayoutMentions
		case strings.HasPrefix(name, "gdelt1"):
			want = LayoutV1Events
		}
		if l != want {
			t.Errorf("%s: layout %v, want %v", name, l, want)
		}
		if (st.HeaderLine == 1) != strings.Contains(name, "head35") {
			t.Errorf("%s: header line %d", name, st.HeaderLine)
		}
		if want == LayoutV1Events && (st.V1Daily != 509 || st.V1Back != 201) {
			t.Errorf("%s: %d daily and %d back-file rows, want 509 and 201", name, st.V1Daily, st.V1Back)
		}
		t.Logf("%s: %v, %+v", name, l, st)
	}
}

// TestRealKnownRows reads the rows of TestKnownRows from the real files themselves.
func TestRealKnownRows(t *testing.T) {
	dir := sharedData(t)
	find := func(path string, line int) Row {
		t.Helper()
		var got Row
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		Read(f, path, func(r Row) error {
			if r.RowLine() == line {
				switch r := r.(type) {
				case *Event:
					e := *r
					got = &e
				case *Mention:
					m := *r
					got = &m
				}
			}
			return nil
		})
		if got == nil {
			t.Fatalf("%s: no row at line %d", path, line)
		}
		return got
	}
	e := find(filepath.Join(dir, "v2", "20180101000000.export.CSV"), 265).(*Event)
	if e.GlobalEventID != 719025139 || e.Actor1Name != "AFRICA" || e.Actor2CountryCode != "JPN" || e.EventCode != "043" || e.SourceURL != "http://www.asahi.com/ajw/articles/AJ201801010016.html" {
		t.Errorf("export line 265: %+v", e)
	}
	e = find(filepath.Join(dir, "gdelt1_events_sample_reed9999.tsv"), 510).(*Event)
	if e.GlobalEventID != 1552829 || !e.Day.Equal(entente.Day(1982, 1, 2)) || e.Actor1Code != "BUSCVL" || e.DateAdded != 20130203000000 || e.SourceURL != "" {
		t.Errorf("1.0 back-file line 510: %+v", e)
	}
	m := find(filepath.Join(dir, "v2", "20150218234500.mentions.CSV"), 10180).(*Mention)
	if m.MentionTimeDate != 20150218234500 || m.GlobalEventID == 0 || m.MentionIdentifier == "" {
		t.Errorf("last mention: %+v", m)
	}
}

// TestRealEventsLinkToMentions measures, per 15-minute slot, how the export and mentions
// files refer to each other, and asserts what holds in every real slot:
//   - every event of the export has at least one mention in the same slot's mentions file;
//   - a mention whose EventTimeDate is the slot refers to an event of that slot's export,
//     and a mention of an event of the export has EventTimeDate equal to the slot;
//   - an event's SOURCEURL is the identifier of one of its mentions, except for
//     citation-only sources whose SOURCEURL is a text ("as listed in Russian/BBC
//     Monitoring/(c) BBC") spelled a little differently in the mention (a few per slot).
func TestRealEventsLinkToMentions(t *testing.T) {
	dir := sharedData(t)
	mentionFiles, _ := filepath.Glob(filepath.Join(dir, "v2", "*.mentions.CSV"))
	if len(mentionFiles) == 0 {
		t.Skip("no mentions files")
	}
	for _, mp := range mentionFiles {
		slot := strings.TrimSuffix(filepath.Base(mp), ".mentions.CSV")
		stamp, _ := strconv.ParseInt(slot, 10, 64)
		urls := map[int64]string{}
		readPath(t, filepath.Join(dir, "v2", slot+".export.CSV"), func(r Row) {
			if e, ok := r.(*Event); ok {
				urls[e.GlobalEventID] = e.SourceURL
			}
		})
		mentioned := map[int64]int{}
		urlSeen := map[int64]bool{}
		var older, total int
		readPath(t, mp, func(r Row) {
			m, ok := r.(*Mention)
			if !ok {
				t.Fatalf("%s: %+v", mp, r)
			}
			total++
			url, inExport := urls[m.GlobalEventID]
			if inExport != (m.EventTimeDate == stamp) {
				t.Errorf("%s:%d: event %d first seen %d, in the slot's export: %v", mp, m.Line, m.GlobalEventID, m.EventTimeDate, inExport)
			}
			if m.MentionTimeDate != stamp {
				t.Errorf("%s:%d: mention time %d, want the slot %d", mp, m.Line, m.MentionTimeDate, stamp)
			}
			if !inExport {
				older++
				return
			}
			mentioned[m.GlobalEventID]++
			if m.MentionIdentifier == url {
				urlSeen[m.GlobalEventID] = true
			}
		})
		textSources := 0
		for id, url := range urls {
			if mentioned[id] == 0 {
				t.Errorf("%s: event %d has no mention", slot, id)
			}
			if !urlSeen[id] {
				textSources++
				if strings.HasPrefix(url, "http") {
					t.Errorf("%s: event %d: SOURCEURL %s is not among its mentions", slot, id, url)
				}
			}
		}
		t.Logf("slot %s: %d events, %d mentions: %d of them of its events, %d of events first seen earlier; %d events with a text source not matched",
			slot, len(urls), total, total-older, older, textSources)
	}
}

func readPath(t *testing.T, path string, fn func(Row)) {
	t.Helper()
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := Read(f, path, func(r Row) error { fn(r); return nil }); err != nil {
		t.Fatal(err)
	}
}

// TestRealMentionsOfEarlierSlots: mentions of events first seen in another staged slot
// point into that slot's export. Measured: 15,439 such mentions in the four 2015 slots,
// all linked but one (20150218234500.mentions.CSV line 6378: event 410418085 dated to
// slot 20150218231500, whose export holds IDs 410415416..410417517): GDELT does not
// promise that every referenced event was exported, so the mapping must tolerate it.
func TestRealMentionsOfEarlierSlots(t *testing.T) {
	dir := sharedData(t)
	exports, _ := filepath.Glob(filepath.Join(dir, "v2", "2015*.export.CSV"))
	mentions, _ := filepath.Glob(filepath.Join(dir, "v2", "2015*.mentions.CSV"))
	if len(exports) != 4 || len(mentions) != 4 {
		t.Skipf("want the four 2015 slots, have %d exports and %d mentions files", len(exports), len(mentions))
	}
	slotOf := map[int64]int64{}
	slots := map[int64]bool{}
	for _, p := range exports {
		readPath(t, p, func(r Row) {
			e := r.(*Event)
			slotOf[e.GlobalEventID] = e.DateAdded
			slots[e.DateAdded] = true
		})
	}
	var n int
	var unlinked []string
	for _, p := range mentions {
		readPath(t, p, func(r Row) {
			m := r.(*Mention)
			if !slots[m.EventTimeDate] {
				return
			}
			n++
			if slotOf[m.GlobalEventID] != m.EventTimeDate {
				unlinked = append(unlinked, fmt.Sprintf("%s:%d event %d", filepath.Base(p), m.Line, m.GlobalEventID))
			}
		})
	}
	t.Logf("%d mentions of events first seen in a staged slot; not in that slot's export: %q", n, unlinked)
	if n != 15439 || len(unlinked) != 1 || unlinked[0] != "20150218234500.mentions.CSV:6378 event 410418085" {
		t.Errorf("%d mentions, unlinked %q; want 15439 and the one of line 6378", n, unlinked)
	}
}
