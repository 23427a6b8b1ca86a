package gdelt

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// recorder is an entente.EventWriter that keeps what it is given.
type recorder struct {
	files    []entente.ImportFile
	events   []entente.Event
	mentions []entente.Mention
	quar     []entente.Quarantined
	reads    []int64
	notes    [][]string
	open     bool
	failAt   int // fail the n-th Event call (1-based); 0 never
}

func (r *recorder) StartFile(f entente.ImportFile) error {
	if r.open {
		return errors.New("StartFile inside a file")
	}
	r.open = true
	r.files = append(r.files, f)
	return nil
}

func (r *recorder) Event(e entente.Event) error {
	r.events = append(r.events, e)
	if r.failAt > 0 && len(r.events) == r.failAt {
		return errors.New("writer failed")
	}
	return nil
}
func (r *recorder) Mention(m entente.Mention) error { r.mentions = append(r.mentions, m); return nil }
func (r *recorder) Aid(entente.Aid) error           { return errors.New("no aid in GDELT files") }
func (r *recorder) Quarantine(q entente.Quarantined) error {
	r.quar = append(r.quar, q)
	return nil
}

func (r *recorder) FinishFile(read int64, notes []string) error {
	if !r.open {
		return errors.New("FinishFile outside a file")
	}
	r.open = false
	r.reads = append(r.reads, read)
	r.notes = append(r.notes, notes)
	return nil
}

func importFiles(t *testing.T, paths ...string) (*recorder, []Result) {
	t.Helper()
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i] = File{Path: p}
	}
	rec := &recorder{}
	res, err := Import(context.Background(), rec, country.Default(), files, Options{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return rec, res
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

func TestImportExportCountries(t *testing.T) {
	p := filepath.Join("testdata", "export_20180101000000_excerpt.tsv")
	rec, res := importFiles(t, p)
	if len(res) != 1 || res[0].Read != 21 || res[0].Layout != LayoutExport || len(rec.events) != 21 {
		t.Fatalf("results %+v, %d events; want 21 events of a 2.0 export", res, len(rec.events))
	}
	b, _ := os.ReadFile(p)
	sum := sha256.Sum256(b)
	if f := rec.files[0]; f.Source != entente.SourceGDELT2 || f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(b)) {
		t.Errorf("file %+v", f)
	}
	// Line 21 (line 265 of the real file): AFRICA → JAPAN. AFR is a region, not a state.
	e := rec.events[20]
	if e.ID != 719025139 || e.Actor1 != "" || e.Actor2 != "JPN" || e.Actor1Code != "AFR" || e.EventCode != "043" ||
		e.RootCode != "04" || e.Quad != 1 || e.Line != 21 || !strings.Contains(e.URL, "asahi.com") || e.DateAdded != 20180101000000 {
		t.Errorf("AFR → JPN event: %+v", e)
	}
	// Line 8: a sub-state actor coded with country PRK keeps its state.
	if e := rec.events[7]; e.Actor2 != "PRK" {
		t.Errorf("line 8: actor 2 %q, want PRK", e.Actor2)
	}
	notes := rec.notes[0]
	if !hasNote(notes, "country codes that are not states") || !hasNote(notes, "AFR 1") {
		t.Errorf("notes do not name AFR as not a state: %q", notes)
	}
	if !hasNote(notes, "have no state as actor 1") || !hasNote(notes, "have no state as actor 2") {
		t.Errorf("notes do not count the events without a state: %q", notes)
	}
}

func TestImportCAMEOCodes(t *testing.T) {
	r := newResolver(country.Default())
	day := entente.Day(2018, 1, 1)
	for code, want := range map[string]string{"USA": "USA", "TMP": "TLS", "KSV": "XKX", "ROM": "ROU", "EUR": "", "WST": "", "AFR": "", "BMU": ""} {
		got, ok := r.state(code, day)
		if ok != (want != "") || ok && got != want {
			t.Errorf("state(%s) = %q, %v; want %q", code, got, ok, want)
		}
	}
	// Back-files code the USSR as RUS: the spell holding Russia's COW number then.
	if id, ok := r.state("RUS", entente.Day(1982, 1, 2)); !ok || id != "SUN" {
		t.Errorf("RUS in 1982: %q, %v; want SUN", id, ok)
	}
	if _, ok := r.state("AZE", entente.Day(1982, 1, 2)); ok {
		t.Errorf("AZE is a state in 1982")
	}
	// Time-aware: South Sudan is not a state before 9 July 2011.
	if _, ok := r.state("SSD", entente.Day(2010, 1, 1)); ok {
		t.Errorf("SSD is a state in 2010")
	}
	if id, ok := r.state("SSD", entente.Day(2012, 1, 1)); !ok || id != "SSD" {
		t.Errorf("SSD in 2012: %q, %v", id, ok)
	}
}

func TestImportHeaderSkipped(t *testing.T) {
	rec, res := importFiles(t, filepath.Join("testdata", "export_head_excerpt.tsv"))
	if res[0].Read != 7 || len(rec.events) != 7 {
		t.Errorf("read %d, %d events; want 7 (the header is not a record)", res[0].Read, len(rec.events))
	}
	if !hasNote(res[0].Notes, "line 1 is a header row") {
		t.Errorf("notes do not say the header was skipped: %q", res[0].Notes)
	}
	if rec.events[2].Actor1 != "PSE" {
		t.Errorf("line 4: actor 1 %q, want PSE", rec.events[2].Actor1)
	}
}

func TestImportV1(t *testing.T) {
	rec, res := importFiles(t, filepath.Join("testdata", "v1_events_excerpt.tsv"))
	if res[0].Read != 21 || rec.files[0].Source != entente.SourceGDELT1 {
		t.Fatalf("read %d, source %s", res[0].Read, rec.files[0].Source)
	}
	if !hasNote(res[0].Notes, "15 daily-file rows (58 fields) and 6 back-file rows") {
		t.Errorf("notes %q", res[0].Notes)
	}
	e := rec.events[16] // 1982: CAN → POL, back-file, no URL
	if e.Actor1 != "CAN" || e.Actor2 != "POL" || e.URL != "" || e.DateAdded != 20130203000000 || e.EventCode != "1312" {
		t.Errorf("back-file row: %+v", e)
	}
}

func TestImportMentionsAndQuarantine(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("testdata", "mentions_20150218230000_excerpt.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	f := strings.Split(lines[1], "\t")
	f[5] = "" // no identifier: nothing to cite
	lines[1] = strings.Join(f, "\t")
	f = strings.Split(lines[2], "\t")
	f[3] = "9" // no such mention type
	lines[2] = strings.Join(f, "\t")
	p := filepath.Join(dir, "m.tsv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, res := importFiles(t, p)
	if res[0].Layout != LayoutMentions || res[0].Read != 12 || len(rec.mentions) != 10 || len(rec.quar) != 2 {
		t.Fatalf("layout %s, read %d, %d mentions, %d quarantined; want 12 = 10 + 2", res[0].Layout, res[0].Read, len(rec.mentions), len(rec.quar))
	}
	q := rec.quar[0]
	if q.Line != 2 || q.Field != "MentionIdentifier" || q.File != p || q.Source != entente.SourceGDELT2 || q.SHA256 == "" {
		t.Errorf("quarantined %+v", q)
	}
	if q := rec.quar[1]; q.Line != 3 || q.Field != "MentionType" || !strings.Contains(q.Reason, "m.tsv:3") || q.Raw == "" {
		t.Errorf("quarantined %+v", q)
	}
	m := rec.mentions[0]
	if m.EventID != 410412347 || m.EventTime != 20150218230000 || m.URL == "" || m.Line != 1 {
		t.Errorf("mention %+v", m)
	}
	if !hasNote(res[0].Notes, "1 mentions quarantined") {
		t.Errorf("notes %q", res[0].Notes)
	}
}

func TestImportBadEventRow(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join("testdata", "export_20150218230000_excerpt.tsv"))
	lines := strings.SplitAfter(string(b), "\n")
	f := strings.Split(lines[4], "\t")
	f[26] = "999"
	lines[4] = strings.Join(f, "\t")
	lines[6] = "410412353\ttoo\tfew\n"
	p := filepath.Join(dir, "e.tsv")
	os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644)
	rec, res := importFiles(t, p)
	if res[0].Read != 12 || len(rec.events) != 10 || len(rec.quar) != 2 {
		t.Fatalf("read %d, %d events, %d quarantined", res[0].Read, len(rec.events), len(rec.quar))
	}
	if q := rec.quar[0]; q.Line != 5 || q.Field != "EventCode" || !strings.Contains(q.Reason, "unknown CAMEO event code") {
		t.Errorf("quarantined %+v", q)
	}
	if q := rec.quar[1]; q.Line != 7 || !strings.Contains(q.Reason, "wrong number of fields") {
		t.Errorf("quarantined %+v", q)
	}
}

func TestImportZip(t *testing.T) {
	src := filepath.Join("testdata", "export_20150218230000_excerpt.tsv")
	b, _ := os.ReadFile(src)
	p := filepath.Join(t.TempDir(), "20150218230000.export.CSV.zip")
	out, _ := os.Create(p)
	zw := zip.NewWriter(out)
	w, _ := zw.Create("20150218230000.export.CSV")
	w.Write(b)
	zw.Close()
	out.Close()
	var last, total int64
	rec := &recorder{}
	res, err := Import(context.Background(), rec, country.Default(), []File{{Path: p}}, Options{
		Progress: func(_ string, done, tot int64) { last, total = done, tot },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 12 || len(rec.events) != 12 || res[0].Layout != LayoutExport {
		t.Errorf("zip: %+v", res)
	}
	if last != int64(len(b)) || total != int64(len(b)) {
		t.Errorf("progress %d of %d, want %d", last, total, len(b))
	}
	zb, _ := os.ReadFile(p)
	sum := sha256.Sum256(zb)
	if rec.files[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("digest is not the zip's")
	}
}

func TestImportErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.tsv")
	os.WriteFile(empty, nil, 0o644)
	for _, p := range []string{filepath.Join(t.TempDir(), "missing.tsv"), empty} {
		if _, err := Import(context.Background(), &recorder{}, country.Default(), []File{{Path: p}}, Options{}); err == nil {
			t.Errorf("%s: no error", p)
		}
	}
	rec := &recorder{failAt: 3}
	_, err := Import(context.Background(), rec, country.Default(), []File{{Path: filepath.Join("testdata", "export_20150218230000_excerpt.tsv")}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "writer failed") {
		t.Errorf("writer error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Import(ctx, &recorder{}, country.Default(), []File{{Path: empty}}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
