package inputfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

func TestDigestAndCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := File{Path: path}
	sum, size, err := Digest(f)
	if err != nil || size != 8 || len(sum) != 64 {
		t.Fatalf("Digest = %q, %d, %v", sum, size, err)
	}
	r, err := Reopen(f, sum)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 3) // the parser reads part of it only
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Errorf("Check of an unchanged file: %v", err)
	}
	r.Close()

	// The file changes between the two reads.
	r, _ = Reopen(f, sum)
	os.WriteFile(path, []byte("a,b\n1,3\n"), 0o644)
	err = r.Check()
	r.Close()
	if entente.ErrorCode(err) != entente.ECONFLICT || !strings.Contains(err.Error(), "changed while being imported") {
		t.Errorf("Check of a changed file: %v, want ECONFLICT", err)
	}

	// An injected opener, and a missing file.
	g := File{Path: "x", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("abc")), nil }}
	if _, n, err := Digest(g); err != nil || n != 3 {
		t.Errorf("Digest with Open: %d, %v", n, err)
	}
	if _, _, err := Digest(File{Path: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("Digest of a missing file: no error")
	}
}
