package gdelt

import (
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
