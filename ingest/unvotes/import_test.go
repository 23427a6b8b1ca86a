package unvotes

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

func excerpt(name string) File { return File{Path: filepath.Join("testdata", name)} }

func memFile(path, content string) File {
	return File{Path: path, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }}
}

func importFiles(t *testing.T, cs entente.CountryService, opt Options, files ...File) (*recWriter, []Result) {
	t.Helper()
	w := &recWriter{}
	res, err := Import(context.Background(), w, cs, files, opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if w.cur != nil {
		t.Fatal("a file was left open")
	}
	for i, f := range w.files {
		if !f.balanced() {
			t.Errorf("%s: read %d != roll calls %d + votes %d + issues %d + quarantined %d", f.Info.Path, f.Read, f.NRollCalls, f.NVotes, f.NIssues, f.NQuarantined)
		}
		if res[i].Read != f.Read {
			t.Errorf("%s: Result.Read %d, FinishFile read %d", f.Info.Path, res[i].Read, f.Read)
		}
	}
	return w, res
}

func voteOf(votes []entente.Vote, rcid string, ccode int) (entente.Vote, bool) {
	for _, v := range votes {
		if v.RollCallID == rcid && v.CCode == ccode {
			return v, true
		}
	}
	return entente.Vote{}, false
}

func TestImportVoeten(t *testing.T) {
	w, res := importFiles(t, newTestCountries(), Options{}, excerpt("voeten_excerpt.csv"))
	f := w.files[0]
	raw, _ := os.ReadFile("testdata/voeten_excerpt.csv")
	sum := sha256.Sum256(raw)
	if f.Info.Source != entente.SourceVoeten || f.Info.SHA256 != hex.EncodeToString(sum[:]) || f.Info.Size != int64(len(raw)) {
		t.Errorf("ImportFile = %+v", f.Info)
	}
	if res[0].Layout != LayoutVoeten || f.Read != 40 || len(f.Votes) != 40 || len(f.Quarantined) != 0 {
		t.Fatalf("read %d, %d votes, quarantined %v", f.Read, len(f.Votes), f.Quarantined)
	}
	if len(f.Implied) != 6 || len(f.RollCalls) != 0 {
		t.Errorf("%d implied roll calls, %d counted", len(f.Implied), len(f.RollCalls))
	}
	for _, rc := range f.Implied {
		if rc.ID == "78085" && (rc.Session != 78 || !rc.Date.Equal(day("2023-12-22"))) {
			t.Errorf("roll call 78085 = %+v, want session 78 on its rows' majority date 2023-12-22", rc)
		}
	}
	tests := []struct {
		rcid  string
		ccode int
		iso3  string
		value entente.VoteValue
	}{
		{"1001", 365, "SUN", entente.No},
		{"45001", 365, "SUN", entente.Yes},
		{"78085", 365, "RUS", entente.Abstain},
		{"28001", 260, "DEU", entente.Yes},
		{"45001", 255, "DEU", entente.Abstain},
		{"18025", 511, "XZZ", entente.Abstain}, // a week before independence: tolerance
		{"78085", 552, "ZWE", entente.Yes},
	}
	for _, tt := range tests {
		v, ok := voteOf(f.Votes, tt.rcid, tt.ccode)
		if !ok || v.ISO3 != tt.iso3 || v.Value != tt.value || v.Source != entente.SourceVoeten || v.Line == 0 {
			t.Errorf("vote %s/%d = %+v (found %v), want %s %v", tt.rcid, tt.ccode, v, ok, tt.iso3, tt.value)
		}
	}
	notes := strings.Join(f.Notes, "\n")
	for _, want := range []string{
		"2 votes dated outside their state's spell resolved by the 366-day tolerance: COW 511 → XZZ (1963-12-10..1964-04-25) ×2 on 1963-12-03",
		"1 vote rows dated unlike most rows of their roll call",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
}

func TestImportUNVotes(t *testing.T) {
	// Files given votes first: Import must read the roll calls first anyway.
	w, res := importFiles(t, newTestCountries(), Options{},
		excerpt("un_votes_excerpt.csv"), excerpt("un_roll_call_issues_excerpt.csv"), excerpt("un_roll_calls_excerpt.csv"))
	if res[0].Layout != LayoutRollCalls || res[1].Layout != LayoutVotes || res[2].Layout != LayoutIssues {
		t.Fatalf("order: %v %v %v", res[0].Layout, res[1].Layout, res[2].Layout)
	}
	rcs, votes, issues := w.files[0], w.files[1], w.files[2]
	if rcs.Read != 15 || len(rcs.RollCalls) != 15 {
		t.Errorf("roll calls: read %d, %d", rcs.Read, len(rcs.RollCalls))
	}
	if len(votes.Quarantined) != 0 || len(votes.Votes) != 17 {
		t.Fatalf("votes: %d, quarantined %+v", len(votes.Votes), votes.Quarantined)
	}
	tests := []struct {
		name  string
		rcid  string
		ccode int
		iso3  string
	}{
		{"RU in 1946 is the USSR", "3", 365, "SUN"},
		{"RU in 2019 is Russia", "9098", 365, "RUS"},
		{"YU in 2019 is Serbia", "9098", 345, "SRB"},
		{"Yemen Arab Republic by name", "47", 678, "YEM"},
		{"West Germany by name", "1412", 260, "DEU"},
		{"Zanzibar by name, tolerance", "874", 511, "XZZ"},
		{"US", "3", 2, "USA"},
	}
	for _, tt := range tests {
		if v, ok := voteOf(votes.Votes, tt.rcid, tt.ccode); !ok || v.ISO3 != tt.iso3 || v.Source != entente.SourceUNVotes {
			t.Errorf("%s: %+v (found %v)", tt.name, v, ok)
		}
	}
	notes := strings.Join(votes.Notes, "\n")
	for _, want := range []string{"ISO2 RU → SUN (COW 365) ×", "ISO2 YU → SRB (COW 345) ×1", "resolved by the 366-day tolerance: name Zanzibar → XZZ"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if issues.Read != 26 || len(issues.Issues) != 26 || issues.Issues[0] != (entente.RollCallIssue{Source: entente.SourceUNVotes, RollCallID: "77", Issue: "me"}) {
		t.Errorf("issues: read %d, %d, first %+v", issues.Read, len(issues.Issues), issues.Issues[0])
	}
}

func TestImportUNVotesDates(t *testing.T) {
	src := "\"rcid\",\"country\",\"country_code\",\"vote\"\n3,\"Canada\",\"CA\",\"no\"\n4,\"Canada\",\"CA\",\"yes\"\n"
	w, _ := importFiles(t, newTestCountries(), Options{KnownDates: map[string]time.Time{"3": day("1946-01-01")}}, memFile("v.csv", src))
	f := w.files[0]
	if len(f.Votes) != 1 || len(f.Quarantined) != 1 {
		t.Fatalf("%d votes, %d quarantined", len(f.Votes), len(f.Quarantined))
	}
	q := f.Quarantined[0]
	if q.Line != 3 || q.Field != "rcid" || !strings.HasPrefix(q.Reason, "v.csv:3: field rcid: roll call 4 has no known date: import un_roll_calls.csv too") {
		t.Errorf("quarantined %+v", q)
	}
}

func TestImportQuarantine(t *testing.T) {
	tests := []struct {
		name, src, reason string
	}{
		{"unknown state", voetenHeader + "1001,999,\"1946-01-01\",1946,1\n", "x.csv:2: field ccode: unknown state 999 at 1946-01-01"},
		{"outside tolerance", voetenHeader + "1001,511,\"1962-01-01\",1946,1\n", "x.csv:2: field ccode: unknown state 511 at 1962-01-01"},
		{"no COW number", "\"rcid\",\"country\",\"country_code\",\"vote\"\n3,\"Nowhere Commons\",,\"no\"\n", "x.csv:2: field country_code: unknown state: XNC at 1946-01-01 has no COW number"},
		{"unknown issue", "\"rcid\",\"short_name\",\"issue\"\n3,\"zz\",\"Zeppelins\"\n", `x.csv:2: field short_name: unknown issue code "zz"`},
		{"bad vote", voetenHeader + "1001,2,\"1946-01-01\",1946,5\n", `x.csv:2:26: field vote: bad vote code "5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := importFiles(t, newTestCountries(), Options{KnownDates: map[string]time.Time{"3": day("1946-01-01")}}, memFile("x.csv", tt.src))
			f := w.files[0]
			if f.Read != 1 || len(f.Quarantined) != 1 {
				t.Fatalf("read %d, quarantined %+v", f.Read, f.Quarantined)
			}
			q := f.Quarantined[0]
			if !strings.HasPrefix(q.Reason, tt.reason) || q.Line != 2 || q.File != "x.csv" || q.SHA256 != f.Info.SHA256 || q.Raw == "" {
				t.Errorf("quarantined %+v, want reason %q", q, tt.reason)
			}
		})
	}
}

func TestImportUNDL(t *testing.T) {
	cs := newTestCountries()
	raw, _ := os.ReadFile("testdata/undl_excerpt.csv")
	header := strings.Split(strings.SplitN(string(raw), "\n", 2)[0], ",")
	for _, h := range header {
		if isISO3(h) && h != "ALB" { // ALB left unknown on purpose
			if _, ok := cs.ByISO3(h, time.Time{}); !ok {
				cs.spells = append(cs.spells, spell(h, "", 1000+len(cs.spells), h, "1945-10-24", ""))
			}
		}
	}
	w, _ := importFiles(t, cs, Options{}, excerpt("undl_excerpt.csv"))
	f := w.files[0]
	// 6 rows: 3 Security Council rows (1 record each, quarantined), 3 General Assembly
	// rows of 174, 176 and n state cells.
	if len(f.RollCalls) != 3 {
		t.Fatalf("%d roll calls", len(f.RollCalls))
	}
	var sc, alb int
	for _, q := range f.Quarantined {
		switch {
		case strings.Contains(q.Reason, "not a General Assembly vote: Security Council"):
			sc++
		case strings.Contains(q.Reason, "field ALB: unknown state ALB at 2025-"):
			alb++
		default:
			t.Errorf("quarantined %+v", q)
		}
	}
	if sc != 3 || alb == 0 {
		t.Errorf("%d SC rows, %d ALB cells quarantined", sc, alb)
	}
	rc := f.RollCalls[1]
	if rc.Source != entente.SourceUNDL || rc.ID != "4076672" || rc.Resolution != "A/RES/ES-11/7" || rc.Session != 0 || len(rc.Issues) != 0 {
		t.Errorf("roll call = %+v", rc)
	}
	if v, ok := voteOf(f.Votes, "4076672", 365); !ok || v.ISO3 != "RUS" || v.Value != entente.No {
		t.Errorf("Russia on ES-11/7: %+v", v)
	}
	if v, ok := voteOf(f.Votes, "4076672", 2); !ok || v.Value != entente.No {
		t.Errorf("USA on ES-11/7: %+v", v)
	}
	if !strings.Contains(strings.Join(f.Notes, "\n"), "3 rows of other councils quarantined: Security Council ×3") {
		t.Errorf("notes %q", f.Notes)
	}
}

func TestImportFileErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		sentinel        error
	}{
		{"empty", "", "import unvotes: e.csv:1: empty file", entente.ErrEmpty},
		{"header", "what,is,this\n1,2,3\n", "import unvotes: e.csv:1: field header: unrecognised header", entente.ErrHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &recWriter{}
			_, err := Import(context.Background(), w, newTestCountries(), []File{memFile("e.csv", tt.src)}, Options{})
			if !errors.Is(err, tt.sentinel) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if len(w.files) != 0 || w.cur != nil {
				t.Error("a file was started")
			}
		})
	}
	_, err := Import(context.Background(), &recWriter{}, newTestCountries(), []File{{Path: "testdata/missing.csv"}}, Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestImportGzipAndProgress(t *testing.T) {
	raw, err := os.ReadFile("testdata/voeten_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	var calls []int64
	var total int64
	f := File{Path: "v.csv.gz", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz.Bytes())), nil }}
	w, _ := importFiles(t, newTestCountries(), Options{Progress: func(file string, done, tot int64) {
		calls = append(calls, done)
		total = tot
	}}, f)
	sum := sha256.Sum256(gz.Bytes())
	if got := w.files[0]; got.Read != 40 || got.Info.SHA256 != hex.EncodeToString(sum[:]) || got.Info.Size != int64(gz.Len()) {
		t.Errorf("gz import: read %d, %+v", got.Read, got.Info)
	}
	if len(calls) == 0 || calls[len(calls)-1] != total || total != int64(gz.Len()) {
		t.Errorf("progress calls %v, total %d", calls, total)
	}
}

func TestImportCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Import(ctx, &recWriter{}, newTestCountries(), []File{excerpt("voeten_excerpt.csv")}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}
