package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// End-to-end tests of bad input files: each is refused with exit 2 and a message that
// names the file and says what is wrong with it.

// writeZipMember writes a zip archive at path holding one member, name: size zero bytes.
func writeZipMember(t *testing.T, path, name string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		if _, err := w.Write(zeros[:min(int64(len(zeros)), size-n)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A zip bomb: a small .zip whose one member inflates to 256 MiB of zeros (about 260 kB
// packed, 1000:1, where GDELT files pack about 6:1; kept small for the test's time, as
// the refusal reads the sizes, not the data). It is refused before any of it is
// inflated, naming the member and its ratio, not reported as a file that "changed while
// being imported".
func TestBadInputZipBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "20250101000000.export.CSV.zip")
	writeZipMember(t, bomb, "20250101000000.export.CSV", 256<<20)
	if fi, _ := os.Stat(bomb); fi.Size() > 1<<20 {
		t.Fatalf("the bomb is %d bytes packed: not a bomb", fi.Size())
	}
	db := newDB(t)
	r := wantExit(t, db, 2, []string{bomb + ": member 20250101000000.export.CSV inflates to 268435456 bytes", "refused as a zip bomb"},
		"import", "gdelt", bomb)
	if strings.Contains(r.stderr, "changed while being imported") {
		t.Errorf("a zip bomb reported as a changed file: %s", r.stderr)
	}

	// A member as packed but small (1 MiB) is read: its one line, too long, is
	// quarantined, and the file is not reported as changed either.
	small := filepath.Join(dir, "small", "20250101000000.export.CSV.zip")
	os.Mkdir(filepath.Dir(small), 0o755)
	writeZipMember(t, small, "20250101000000.export.CSV", 1<<20)
	r = cli(t, db, "import", "gdelt", small, "--format", "csv")
	if r.code != 0 || strings.Contains(r.stderr, "zip bomb") || strings.Contains(r.stderr, "changed while being imported") {
		t.Errorf("a small member of zeros: want exit 0, its one line quarantined: %s", r)
	} else if row := checkReportCSV(t, r.stdout).one(t, "file", small); row["quarantined"] != "1" {
		t.Errorf("a small member of zeros: report %v, want its one line quarantined", row)
	}
}

// A file named .zip that is not a zip archive says so, exit 2 (bad input, not a failure).
func TestBadInputNotAZip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "20250101000000.export.CSV.zip")
	if err := os.WriteFile(path, []byte("GLOBALEVENTID\tSQLDATE\n1\t20250101\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	wantExit(t, db, 2, []string{path + ": not a zip archive"}, "import", "gdelt", path)

	// A real zip, damaged in its packed data or cut short, is bad input too.
	data, err := os.ReadFile("../../ingest/gdelt/testdata/export_20180101000000_excerpt.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("20180101000000.export.CSV")
	w.Write(data)
	zw.Close()
	good := buf.Bytes()
	damaged := append([]byte(nil), good...)
	start := 30 + len("20180101000000.export.CSV") // the local header, then the packed data
	for i := start + 200; i < start+300; i++ {
		damaged[i] ^= 0xff
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"damaged.export.CSV.zip", damaged, "member 20180101000000.export.CSV is damaged"},
		{"cut.export.CSV.zip", good[:len(good)/2], "not a zip archive, though named .zip, or one cut short"},
	} {
		p := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		wantExit(t, newDB(t), 2, []string{p + ": " + tc.want}, "import", "gdelt", p)
	}
}

// A one-line GDELT file, a header row and nothing else, says so with its file and line,
// exit 2: whatever its header's field count (one GDELT knows, or not), it is not
// reported as a file that "changed while being imported".
func TestBadInputOneLineGDELT(t *testing.T) {
	dir := t.TempDir()
	export := make([]string, 61)
	export[0], export[1] = "GLOBALEVENTID", "SQLDATE"
	for i := 2; i < 61; i++ {
		export[i] = "Col" + string(rune('A'+i%26))
	}
	for _, tc := range []struct{ name, line string }{
		{"20250101000000.export.CSV", "GLOBALEVENTID\tSQLDATE\n"},            // a header GDELT does not know
		{"20250101001500.export.CSV", strings.Join(export, "\t") + "\n"},     // a 2.0 export header
		{"20250101003000.export.CSV", strings.Join(export, "\t") + "\n\n\n"}, // and blank lines
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte(tc.line), 0o644); err != nil {
			t.Fatal(err)
		}
		db := newDB(t)
		r := wantExit(t, db, 2, []string{path + ":1: only a header line, no records"}, "import", "gdelt", path)
		if strings.Contains(r.stderr, "changed while being imported") {
			t.Errorf("%s: a one-line file reported as a changed file: %s", tc.name, r.stderr)
		}
	}
}

// unreadable returns the path of a regular file this process cannot read: a file of mode
// 000, or, for root (whom modes do not stop), a link to a write-only kernel attribute
// (sysfs refuses to open it for reading, even to root). It skips the test when there is
// none.
func unreadable(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if os.Getuid() != 0 {
		if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o000); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var found []string
	for _, pat := range []string{"/sys/bus/pci/rescan", "/sys/devices/pci*/*/rescan", "/sys/class/zram-control/hot_remove", "/sys/module/*/uevent", "/sys/kernel/*/uevent"} {
		m, _ := filepath.Glob(pat)
		found = append(found, m...)
	}
	for _, target := range found {
		fi, err := os.Stat(target)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o444 != 0 {
			continue
		}
		if f, err := os.Open(target); err == nil {
			f.Close()
			continue
		}
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Skip("running as root, whom a mode of 000 does not stop, and no write-only sysfs attribute to stand for an unreadable file")
	return ""
}

// An unreadable file is bad input, exit 2, named, for every format.
func TestBadInputUnreadable(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ source, name string }{
		{"unvotes", "un_votes.csv"},
		{"gdelt", "20250101000000.export.CSV"},
		{"aid", "kiel_ust_data_explorer.csv"},
		{"atop", "atop.csv"},
		{"igo", "igo.csv"},
		{"idealpoints", "ideal.csv"},
		{"ucdp", "ucdp.csv"},
		{"force", "force.csv"},
		{"ledger", "acts.yaml"},
	} {
		path := unreadable(t, dir, tc.source+"_"+tc.name)
		db := newDB(t)
		wantExit(t, db, 2, []string{path + ": cannot be read: permission denied"}, "import", tc.source, path)
	}
}

// The aid import reads the release of its records from kiel_ust_release_info.csv beside
// the data explorer file: without it, exit 2, naming the file it looked for.
func TestBadInputAidWithoutRelease(t *testing.T) {
	data, err := os.ReadFile("../../ingest/aid/testdata/kiel_ust_data_explorer.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "kiel_ust_data_explorer.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	r := wantExit(t, db, 2, []string{filepath.Join(dir, "kiel_ust_release_info.csv") + ": no such file", "no release for the records"}, "import", "aid", path)
	if !strings.Contains(r.stderr, path) {
		t.Errorf("the message does not name the data explorer file %s: %s", path, r.stderr)
	}

	// With the release beside it, the same file imports.
	rel, err := os.ReadFile("../../ingest/aid/testdata/kiel_ust_release_info.csv")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "kiel_ust_release_info.csv"), rel, 0o644)
	mustRun(t, db, "import", "aid", path, "--quiet")
}
