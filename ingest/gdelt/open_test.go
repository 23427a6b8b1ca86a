package gdelt

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func writeZip(t *testing.T, path string, members map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, data := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestOpenZip reads a zip as upstream ships them: one CSV inside.
func TestOpenZip(t *testing.T) {
	data := readFile(t, "testdata/mentions_20150218230000_excerpt.tsv")
	dir := t.TempDir()
	path := filepath.Join(dir, "20150218230000.mentions.CSV.zip")
	writeZip(t, path, map[string][]byte{"20150218230000.mentions.CSV": data})
	rc, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l, st, err := Read(rc, path, func(Row) error { return nil })
	if err != nil || l != LayoutMentions || st.Rows != 12 {
		t.Fatalf("layout %v, stats %+v, err %v", l, st, err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}

	two := filepath.Join(dir, "two.zip")
	writeZip(t, two, map[string][]byte{"a.CSV": data, "b.CSV": data})
	if _, err := Open(two); err == nil {
		t.Error("zip with two files: no error")
	}
	notZip := filepath.Join(dir, "bad.zip")
	os.WriteFile(notZip, data, 0o644)
	if _, err := Open(notZip); err == nil {
		t.Error("a text file named .zip: no error")
	}
	if _, err := Open(filepath.Join(dir, "missing.CSV")); err == nil {
		t.Error("missing file: no error")
	}
	plain, err := Open("testdata/mentions_20150218230000_excerpt.tsv")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(plain)
	plain.Close()
	if string(b) != string(data) {
		t.Error("plain file read differs")
	}
}
