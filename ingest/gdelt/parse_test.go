package gdelt

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

// collected is what a Read returned, with copies of the rows.
type collected struct {
	layout   Layout
	stats    Stats
	err      error
	events   []Event
	mentions []Mention
	bad      []BadRow
}

func readAll(t *testing.T, data []byte, file string) collected {
	t.Helper()
	var c collected
	c.layout, c.stats, c.err = Read(bytes.NewReader(data), file, func(r Row) error {
		switch r := r.(type) {
		case *Event:
			c.events = append(c.events, *r)
		case *Mention:
			c.mentions = append(c.mentions, *r)
		case *BadRow:
			c.bad = append(c.bad, *r)
		default:
			t.Fatalf("row of type %T", r)
		}
		return nil
	})
	if c.err == nil {
		checkAccounting(t, file, c.stats)
	}
	return c
}

func checkAccounting(t testing.TB, file string, st Stats) {
	t.Helper()
	header := 0
	if st.HeaderLine > 0 {
		header = 1
	}
	if st.Lines != st.Rows+st.Bad+st.Blank+header {
		t.Errorf("%s: lines %d != rows %d + bad %d + blank %d + header %d", file, st.Lines, st.Rows, st.Bad, st.Blank, header)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func nan32() float32 { return float32(math.NaN()) }

// sameEvent compares events, NaN equal to NaN.
func sameEvent(a, b Event) bool {
	fix := func(e *Event) {
		if e.Goldstein != e.Goldstein {
			e.Goldstein = -999
		}
		if e.AvgTone != e.AvgTone {
			e.AvgTone = -999
		}
	}
	fix(&a)
	fix(&b)
	return a == b
}

// TestKnownRows checks every kept field of one row per layout, read by eye from the files.
func TestKnownRows(t *testing.T) {
	t.Run("export", func(t *testing.T) {
		c := readAll(t, readFile(t, "testdata/export_20180101000000_excerpt.tsv"), "export.tsv")
		if c.err != nil || c.layout != LayoutExport || len(c.events) != 21 || len(c.bad) != 0 {
			t.Fatalf("layout %v, %d events, %d bad, err %v", c.layout, len(c.events), len(c.bad), c.err)
		}
		want := Event{
			Line: 21, GlobalEventID: 719025139, Day: entente.Day(2018, 1, 1),
			Actor1Code: "AFR", Actor1Name: "AFRICA", Actor1CountryCode: "AFR",
			Actor2Code: "JPN", Actor2Name: "JAPAN", Actor2CountryCode: "JPN",
			IsRootEvent: true, EventCode: "043", EventBaseCode: "043", EventRootCode: "04", QuadClass: 1,
			Goldstein: 2.8, NumMentions: 1, NumSources: 1, NumArticles: 1, AvgTone: 0.24479804161567,
			ActionGeoCountryCode: "JA", DateAdded: 20180101000000,
			SourceURL: "http://www.asahi.com/ajw/articles/AJ201801010016.html",
		}
		if got := c.events[20]; !sameEvent(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
	t.Run("mentions", func(t *testing.T) {
		c := readAll(t, readFile(t, "testdata/mentions_20150218230000_excerpt.tsv"), "mentions.tsv")
		if c.err != nil || c.layout != LayoutMentions || len(c.mentions) != 12 || len(c.bad) != 0 {
			t.Fatalf("layout %v, %d mentions, %d bad, err %v", c.layout, len(c.mentions), len(c.bad), c.err)
		}
		want := Mention{
			Line: 1, GlobalEventID: 410412347, EventTimeDate: 20150218230000, MentionTimeDate: 20150218230000,
			MentionType: 1, MentionSourceName: "dailymaverick.co.za",
			MentionIdentifier: "http://www.dailymaverick.co.za/article/2015-02-19-sona2015-jamming-state-security-agency-steps-forward-blames-low-ranking-operator/",
			SentenceID:        19, Actor1CharOffset: -1, Actor2CharOffset: 4594, ActionCharOffset: 4634,
			InRawText: true, Confidence: 50, MentionDocLen: 6665, MentionDocTone: -4.4776119402985,
		}
		if got := c.mentions[0]; got != want {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
	t.Run("v1", func(t *testing.T) {
		c := readAll(t, readFile(t, "testdata/v1_events_excerpt.tsv"), "v1.tsv")
		if c.err != nil || c.layout != LayoutV1Events || len(c.events) != 21 || len(c.bad) != 0 {
			t.Fatalf("layout %v, %d events, %d bad, err %v", c.layout, len(c.events), len(c.bad), c.err)
		}
		if c.stats.V1Daily != 15 || c.stats.V1Back != 6 {
			t.Errorf("daily %d, back %d rows; want 15 and 6", c.stats.V1Daily, c.stats.V1Back)
		}
		daily := Event{
			Line: 1, GlobalEventID: 564111644, Day: entente.Day(2006, 7, 31),
			Actor1Code: "USA", Actor1Name: "UNITED STATES", Actor1CountryCode: "USA",
			IsRootEvent: true, EventCode: "010", EventBaseCode: "010", EventRootCode: "01", QuadClass: 1,
			Goldstein: 0, NumMentions: 2, NumSources: 1, NumArticles: 2, AvgTone: -0.34188034188034,
			ActionGeoCountryCode: "US", DateAdded: 20160728000000,
			SourceURL: "http://wtop.com/lifestyle/2016/07/deepest-darkest-secrets-now-display-national-postal-museum/",
		}
		if got := c.events[0]; !sameEvent(got, daily) {
			t.Errorf("daily row:\ngot  %+v\nwant %+v", got, daily)
		}
		back := Event{
			Line: 16, GlobalEventID: 1552829, Day: entente.Day(1982, 1, 2),
			Actor1Code: "BUSCVL", Actor1Name: "BUSINESS", Actor1Type1Code: "BUS",
			Actor2Code: "BUS", Actor2Name: "BUSINESS", Actor2Type1Code: "BUS",
			EventCode: "030", EventBaseCode: "030", EventRootCode: "03", QuadClass: 1,
			Goldstein: 4, NumMentions: 5, NumSources: 1, NumArticles: 5, AvgTone: 4.7976011994003,
			ActionGeoCountryCode: "GH", DateAdded: 20130203000000,
		}
		if got := c.events[15]; !sameEvent(got, back) {
			t.Errorf("back-file row:\ngot  %+v\nwant %+v", got, back)
		}
	})
	t.Run("header", func(t *testing.T) {
		c := readAll(t, readFile(t, "testdata/export_head_excerpt.tsv"), "head.tsv")
		if c.err != nil || c.layout != LayoutExport || len(c.events) != 7 || len(c.bad) != 0 || c.stats.HeaderLine != 1 {
			t.Fatalf("layout %v, %d events, %d bad, header line %d, err %v", c.layout, len(c.events), len(c.bad), c.stats.HeaderLine, c.err)
		}
		want := Event{
			Line: 2, GlobalEventID: 1193447399, Day: entente.Day(2023, 8, 20),
			Actor2Code: "LAB", Actor2Name: "WORKER", Actor2Type1Code: "LAB",
			EventCode: "190", EventBaseCode: "190", EventRootCode: "19", QuadClass: 4,
			Goldstein: -10, NumMentions: 1, NumSources: 1, NumArticles: 1, AvgTone: -3.86740331491712,
			ActionGeoCountryCode: "SU", DateAdded: 20240819130000,
			SourceURL: "https://www.care.org/news-and-stories/press-releases/impunity-must-end-as-attacks-on-aid-workers-rise-to-record-highs/",
		}
		if got := c.events[0]; !sameEvent(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
}

// exportLine returns line i (0-based) of the 2018 export excerpt, split into fields.
func exportLine(t *testing.T, i int) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(readFile(t, "testdata/export_20180101000000_excerpt.tsv")), "\n"), "\n")
	return strings.Split(lines[i], "\t")
}

func mentionLine(t *testing.T, i int) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(readFile(t, "testdata/mentions_20150218230000_excerpt.tsv")), "\n"), "\n")
	return strings.Split(lines[i], "\t")
}

func join(fields []string) string { return strings.Join(fields, "\t") }

// with returns a copy of fields with field i set to v.
func with(fields []string, i int, v string) []string {
	out := append([]string(nil), fields...)
	out[i] = v
	return out
}

// TestMalformed feeds broken inputs: each gives a BadRow (reading goes on) or an error,
// naming file, line and, for a field, its column and name.
func TestMalformed(t *testing.T) {
	good := join(exportLine(t, 0))
	goodM := join(mentionLine(t, 0))
	col := func(fields []string, i int) int { // 1-based byte column where field i starts
		if i == 0 {
			return 1
		}
		return len(join(fields[:i])) + 2
	}
	ev := exportLine(t, 0)
	mn := mentionLine(t, 0)
	long := strings.Repeat("x", MaxLineBytes+10)
	tests := []struct {
		name       string
		file       string
		input      string
		wantErr    error // file-level error
		wantBad    error
		line, col  int
		field      string
		rows, bads int
	}{
		{name: "empty file", input: "", wantErr: entente.ErrEmpty},
		{name: "blank lines only", input: "\n\r\n\n", wantErr: entente.ErrEmpty},
		{name: "truncated last line", input: good + "\n" + good[:len(good)/2], wantBad: entente.ErrTruncated, line: 2, rows: 1, bads: 1},
		{name: "wrong field count", input: good + "\n" + join(ev[:60]) + "\n" + good + "\n", wantBad: entente.ErrFieldCount, line: 2, rows: 2, bads: 1},
		{name: "extra field", input: good + "\n" + good + "\tx\n", wantBad: entente.ErrFieldCount, line: 2, rows: 1, bads: 1},
		{name: "10000 columns", input: good + "\n" + strings.Repeat("1\t", 9999) + "1\n" + good + "\n", wantBad: entente.ErrFieldCount, line: 2, rows: 2, bads: 1},
		{name: "first line of no layout", input: "a\tb\tc\n" + good + "\n", wantBad: entente.ErrFieldCount, line: 1, rows: 1, bads: 1},
		{name: "line too long", input: good + "\n" + long + "\n" + good + "\n", wantBad: entente.ErrLineTooLong, line: 2, rows: 2, bads: 1},
		{name: "not UTF-8", input: good + "\n" + join(with(ev, 6, "AFR\xffICA")) + "\n", wantBad: entente.ErrNotUTF8, line: 2, col: col(ev, 6) + 3, rows: 1, bads: 1},
		{name: "bad event id", input: join(with(ev, 0, "71902487x")) + "\n" + good + "\n", wantBad: entente.ErrBadNumber, line: 1, col: 1, field: "GLOBALEVENTID", rows: 1, bads: 1},
		{name: "bad count", input: good + "\n" + join(with(ev, 31, "x5")) + "\n", wantBad: entente.ErrBadNumber, line: 2, col: col(ev, 31), field: "NumMentions", rows: 1, bads: 1},
		{name: "bad Goldstein", input: join(with(ev, 30, "11.5")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(ev, 30), field: "GoldsteinScale", bads: 1},
		{name: "Goldstein not a decimal", input: join(with(ev, 30, "NaN")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(ev, 30), field: "GoldsteinScale", bads: 1},
		{name: "bad tone", input: join(with(ev, 34, "0x1p3")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(ev, 34), field: "AvgTone", bads: 1},
		{name: "bad date", input: join(with(ev, 1, "20180231")) + "\n", wantBad: entente.ErrBadDate, line: 1, col: col(ev, 1), field: "SQLDATE", bads: 1},
		{name: "bad date added", input: join(with(ev, 59, "20180101")) + "\n", wantBad: entente.ErrBadDate, line: 1, col: col(ev, 59), field: "DATEADDED", bads: 1},
		{name: "unknown code", input: join(with(ev, 26, "099")) + "\n", wantBad: ErrUnknownCode, line: 1, col: col(ev, 26), field: "EventCode", bads: 1},
		{name: "unknown root code", input: join(with(ev, 28, "21")) + "\n", wantBad: ErrUnknownCode, line: 1, col: col(ev, 28), field: "EventRootCode", bads: 1},
		{name: "quad class off its root", input: join(with(ev, 29, "4")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(ev, 29), field: "QuadClass", bads: 1},
		{name: "bad root flag", input: join(with(ev, 25, "2")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(ev, 25), field: "IsRootEvent", bads: 1},
		{name: "mentions bad time", input: goodM + "\n" + join(with(mn, 2, "20150218236000")) + "\n", wantBad: entente.ErrBadDate, line: 2, col: col(mn, 2), field: "MentionTimeDate", rows: 1, bads: 1},
		{name: "mentions bad type", input: join(with(mn, 3, "7")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(mn, 3), field: "MentionType", bads: 1},
		{name: "mentions bad offset", input: join(with(mn, 8, "-2")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(mn, 8), field: "Actor2CharOffset", bads: 1},
		{name: "mentions bad confidence", input: join(with(mn, 11, "101")) + "\n", wantBad: entente.ErrBadNumber, line: 1, col: col(mn, 11), field: "Confidence", bads: 1},
		{name: "mentions in an export file", file: "20150218230000.export.CSV", input: good + "\n" + goodM + "\n", wantBad: entente.ErrFieldCount, line: 2, rows: 1, bads: 1},
		{name: "file name decides a bad first line", file: "20150218230000.mentions.CSV.zip", input: join(mn[:15]) + "\n" + goodM + "\n", wantBad: entente.ErrFieldCount, line: 1, rows: 1, bads: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "in.tsv"
			}
			c := readAll(t, []byte(tc.input), file)
			if tc.wantErr != nil {
				var pe *entente.ParseError
				if !errors.Is(c.err, tc.wantErr) || !errors.As(c.err, &pe) || pe.File != file || pe.Line < 1 {
					t.Fatalf("err %v, want a ParseError naming %s and a line, wrapping %v", c.err, file, tc.wantErr)
				}
				return
			}
			if c.err != nil {
				t.Fatal(c.err)
			}
			if len(c.events)+len(c.mentions) != tc.rows || len(c.bad) != tc.bads {
				t.Fatalf("%d rows, %d bad (%v); want %d and %d", len(c.events)+len(c.mentions), len(c.bad), c.bad, tc.rows, tc.bads)
			}
			pe := c.bad[0].Err
			if !errors.Is(pe, tc.wantBad) || pe.File != file || pe.Line != tc.line || pe.Column != tc.col || pe.Field != tc.field {
				t.Errorf("bad row %q (file %s line %d col %d field %q); want %v at %s:%d:%d field %q",
					pe, pe.File, pe.Line, pe.Column, pe.Field, tc.wantBad, file, tc.line, tc.col, tc.field)
			}
			if len(c.bad[0].Raw) > entente.MaxRawBytes {
				t.Errorf("raw line of %d bytes", len(c.bad[0].Raw))
			}
			if !strings.Contains(pe.Error(), file+":") {
				t.Errorf("message %q does not name the file", pe.Error())
			}
		})
	}
}

// TestEmptyFieldsAreNotErrors: empty numbers take their documented defaults.
func TestEmptyFieldsAreNotErrors(t *testing.T) {
	ev := exportLine(t, 0)
	for _, i := range []int{25, 30, 31, 32, 33, 34} {
		ev = with(ev, i, "")
	}
	c := readAll(t, []byte(join(ev)+"\n"), "in.tsv")
	if len(c.events) != 1 {
		t.Fatalf("%d events, bad %v", len(c.events), c.bad)
	}
	e := c.events[0]
	if e.IsRootEvent || !math.IsNaN(float64(e.Goldstein)) || !math.IsNaN(float64(e.AvgTone)) || e.NumMentions != 0 || e.NumSources != 0 || e.NumArticles != 0 {
		t.Errorf("%+v", e)
	}
	mn := mentionLine(t, 0)
	for _, i := range []int{6, 7, 8, 9, 10, 11, 12, 13} {
		mn = with(mn, i, "")
	}
	c = readAll(t, []byte(join(mn)+"\n"), "in.tsv")
	if len(c.mentions) != 1 {
		t.Fatalf("%d mentions, bad %v", len(c.mentions), c.bad)
	}
	m := c.mentions[0]
	if m.SentenceID != 0 || m.Actor1CharOffset != -1 || m.Actor2CharOffset != -1 || m.ActionCharOffset != -1 || m.InRawText || m.Confidence != 0 || m.MentionDocLen != 0 || !math.IsNaN(float64(m.MentionDocTone)) {
		t.Errorf("%+v", m)
	}
}

// TestQuotesAndLineEnds: double quotes are data; CRLF, a BOM and blank lines are tolerated.
func TestQuotesAndLineEnds(t *testing.T) {
	ev := with(exportLine(t, 0), 6, `THE "BIG" MAN`)
	ev = with(ev, 16, `"`)
	in := "\uFEFF" + join(ev) + "\r\n\r\n" + join(exportLine(t, 1)) + "\r\n"
	c := readAll(t, []byte(in), "in.tsv")
	if c.err != nil || len(c.events) != 2 || len(c.bad) != 0 || c.stats.Blank != 1 || c.stats.Lines != 3 {
		t.Fatalf("%d events, bad %v, stats %+v, err %v", len(c.events), c.bad, c.stats, c.err)
	}
	if e := c.events[0]; e.Actor1Name != `THE "BIG" MAN` || e.Actor2Name != `"` {
		t.Errorf("names %q %q", e.Actor1Name, e.Actor2Name)
	}
}

// TestHeaderOnly: a file with the header row and nothing else is no error.
func TestHeaderOnly(t *testing.T) {
	head := strings.SplitAfter(string(readFile(t, "testdata/export_head_excerpt.tsv")), "\n")[0]
	c := readAll(t, []byte(head), "head.tsv")
	if c.err != nil || c.layout != LayoutExport || c.stats.HeaderLine != 1 || c.stats.Rows != 0 {
		t.Fatalf("layout %v, stats %+v, err %v", c.layout, c.stats, c.err)
	}
}

// TestCallbackError: an error from fn stops Read and comes back as is.
func TestCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, _, err := Read(bytes.NewReader(readFile(t, "testdata/export_20180101000000_excerpt.tsv")), "x.tsv", func(Row) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Fatalf("err %v after %d rows", err, n)
	}
}

// TestReadAs: a forced layout quarantines lines of other layouts.
func TestReadAs(t *testing.T) {
	n := 0
	st, err := ReadAs(bytes.NewReader(readFile(t, "testdata/v1_events_excerpt.tsv")), "v1.tsv", LayoutExport, func(r Row) error {
		if b, ok := r.(*BadRow); !ok || !errors.Is(b.Err, entente.ErrFieldCount) {
			t.Fatalf("row %+v", r)
		}
		n++
		return nil
	})
	if err != nil || n != 21 || st.Bad != 21 {
		t.Fatalf("%d bad rows, stats %+v, err %v", n, st, err)
	}
	if _, err := ReadAs(bytes.NewReader(nil), "x", LayoutUnknown, nil); err == nil {
		t.Error("ReadAs with LayoutUnknown: no error")
	}
}

func TestDetectName(t *testing.T) {
	for name, want := range map[string]Layout{
		"20150218230000.export.CSV":         LayoutExport,
		"/x/20150218230000.export.CSV.zip":  LayoutExport,
		"20150218230000.mentions.CSV.zip":   LayoutMentions,
		"20150218230000.mentions.csv":       LayoutMentions,
		"20160728.export.CSV.zip":           LayoutV1Events,
		"1982.zip":                          LayoutUnknown,
		"1982.csv.zip":                      LayoutV1Events,
		"200601.csv":                        LayoutV1Events,
		"20150218230000.gkg.csv":            LayoutUnknown,
		"gdelt1_events_sample_reed9999.tsv": LayoutUnknown,
	} {
		if got := DetectName(name); got != want {
			t.Errorf("DetectName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseStamp(t *testing.T) {
	for in, want := range map[string]int64{
		"20150218230000": 20150218230000, "20160229235960": 20160229235960,
		"20150229000000": -1, "20151301000000": -1, "20150218240000": -1, "2015021823000": -1, "2015021823000x": -1,
	} {
		got, ok := parseStamp([]byte(in), false)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("parseStamp(%q) = %d, want %d", in, got, want)
		}
	}
	if v, ok := parseStamp([]byte("20130203"), true); !ok || v != 20130203000000 {
		t.Errorf("1.0 day stamp: %d %v", v, ok)
	}
	var c dayCache
	if d, err := c.parse([]byte("20000229")); err != nil || !d.Equal(time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2000-02-29: %v %v", d, err)
	}
	if _, err := c.parse([]byte("19000229")); !errors.Is(err, entente.ErrBadDate) {
		t.Errorf("1900-02-29: %v", err)
	}
}
