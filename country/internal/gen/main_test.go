package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFileIsCurrent checks that the committed countries.tsv is what the
// generator makes from the shared code lists and corrections.tsv.
func TestGeneratedFileIsCurrent(t *testing.T) {
	data := filepath.Join("..", "..", "..", "..", "shared", "data", "countrycodes")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("shared code lists not found at %s (../shared/data/countrycodes from the repo root): %v", data, err)
	}
	got, err := Build(data, filepath.Join("..", "..", "corrections.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "countries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("countries.tsv is stale: run go generate ./country")
	}
}

func TestCarve(t *testing.T) {
	s := spell{COW: 365, Begin: "1816-01-01", Notes: []string{"n"}}
	before, mid, after := carve(s, "1922-12-30", "1991-12-25")
	if before == nil || before.End != "1922-12-29" || mid.Begin != "1922-12-30" || mid.End != "1991-12-25" || after == nil || after.Begin != "1991-12-26" || after.End != "" {
		t.Errorf("carve = %+v %+v %+v", before, mid, after)
	}
	before, mid, after = carve(s, "", "")
	if before != nil || after != nil || mid.Begin != s.Begin {
		t.Errorf("carve whole = %+v %+v %+v", before, mid, after)
	}
}

// TestGeneratedGWIsCurrent checks that the committed gw.tsv is what the generator makes.
func TestGeneratedGWIsCurrent(t *testing.T) {
	data := filepath.Join("..", "..", "..", "..", "shared", "data", "countrycodes")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("shared code lists not found at %s (../shared/data/countrycodes from the repo root): %v", data, err)
	}
	countries, err := os.ReadFile(filepath.Join("..", "..", "countries.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := BuildGW(data, countries)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "gw.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("gw.tsv is stale: run go generate ./country")
	}
}
