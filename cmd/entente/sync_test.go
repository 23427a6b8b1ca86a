package main

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// End-to-end tests of 'entente sync': a mirror in a temp dir, the shared datasets as a
// mirror, and a fake upstream named by a catalogue file. No test touches the internet.

func TestSyncMirrorTempDir(t *testing.T) {
	mirror, data := t.TempDir(), t.TempDir()
	for rel, body := range map[string]string{
		"unvotes/votes.csv":                  "resid,ccode,date,year,vote\n",
		"gdelt/v2/20150218230000.export.CSV": "a\tb\n",
		"gdelt/v2/20180101000000.export.CSV": "c\td\n",
	} {
		p := filepath.Join(mirror, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	env := map[string]string{"ENTENTE_MIRROR": mirror, "ENTENTE_DATA": data}
	withEnv := func(a *app) { a.getenv = func(k string) string { return env[k] } }

	r := runApp(t, withEnv, "sync", "--only", "unvotes,gdelt", "--from", "2015", "--to", "2015", "--format", "csv")
	if r.code != 0 {
		t.Fatal(r)
	}
	want := `source,file,status,verified,bytes,detail
unvotes,unvotes/votes.csv,linked,,0,
gdelt2,gdelt/v2/20150218230000.export.CSV,linked,,0,
`
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant\n%s", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "2 linked") {
		t.Errorf("stderr %q: want a summary", r.stderr)
	}
	if target, err := os.Readlink(filepath.Join(data, "unvotes", "votes.csv")); err != nil || !strings.HasPrefix(target, mirror) {
		t.Errorf("link %q, %v: want a link into the mirror", target, err)
	}
	r = runApp(t, withEnv, "sync", "--only", "unvotes", "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "unvotes/votes.csv,skipped") {
		t.Errorf("rerun: %s", r)
	}
}

func TestSyncSharedDataMirror(t *testing.T) {
	mirror := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(mirror, "unvotes")); err != nil {
		t.Skipf("shared datasets absent (%s): %v; this test needs ../shared/data", mirror, err)
	}
	data := t.TempDir()
	r := runApp(t, nil, "sync", "--mirror", mirror, "--data", data, "--format", "json")
	if r.code != 0 {
		t.Fatal(r)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	linked := map[string]int{}
	for _, row := range rows {
		if row["status"] == "linked" {
			linked[row["source"].(string)]++
		}
	}
	if linked["unvotes"] < 5 || linked["gdelt2"] != 9 || linked["aid"] < 1 {
		t.Errorf("linked per source %v", linked)
	}
	if _, err := os.Stat(filepath.Join(data, "unvotes", "voeten_votes_1946_2024.csv")); err != nil {
		t.Errorf("Voeten file not in the data dir: %v", err)
	}
}

func TestSyncHTTPFailuresListed(t *testing.T) {
	body := []byte("country,iso,year,month,total\n")
	sum := md5.Sum(body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/aid.csv" {
			w.Write(body)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	cat := filepath.Join(t.TempDir(), "catalogue.json")
	os.WriteFile(cat, []byte(fmt.Sprintf(`[{"name":"aid","files":[
		{"path":"aid/aid.csv","url":"%s/aid.csv","md5":"%s"},
		{"path":"aid/gone.csv","url":"%s/gone.csv"}]}]`, srv.URL, hex.EncodeToString(sum[:]), srv.URL)), 0o644)
	data := t.TempDir()
	r := runApp(t, nil, "sync", "--only", "aid", "--catalogue", cat, "--data", data, "--format", "csv")
	if r.code != 1 {
		t.Fatalf("want exit 1 for a failed file: %s", r)
	}
	if !strings.Contains(r.stdout, "aid,aid/aid.csv,fetched,md5,29,") || !strings.Contains(r.stdout, "aid,aid/gone.csv,failed,,0,") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "1 failed") || !strings.Contains(r.stderr, "  "+srv.URL+"/gone.csv") || !strings.Contains(r.stdout, "404 Not Found") {
		t.Errorf("want the failed URL listed with its status:\n%s", r)
	}
	if _, err := os.Stat(filepath.Join(data, "aid", "aid.csv")); err != nil {
		t.Errorf("the good file is missing: %v", err)
	}
}

func TestSyncUsage(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown source", []string{"--only", "gdelt3"}, `unknown source "gdelt3"`},
		{"gdelt without a range", []string{"--only", "gdelt"}, "gdelt2 needs --from"},
		{"bad date", []string{"--only", "gdelt", "--from", "2024-13"}, "--from"},
		{"to before from", []string{"--from", "2024-02", "--to", "2024-01"}, "before"},
		{"copy without mirror", []string{"--copy"}, "--copy needs --mirror"},
		{"argument", []string{"unvotes"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runApp(t, nil, append([]string{"sync", "--data", data}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("want exit 2 and %q: %s", tc.want, r)
			}
		})
	}
}

func TestSyncList(t *testing.T) {
	r := runApp(t, nil, "sync", "--list", "--format", "csv")
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, want := range []string{"unvotes,unvotes/,dataverse,https://dataverse.harvard.edu doi:10.7910/DVN/LEJUQZ",
		"gdelt2,gdelt/v2/,gdelt2,http://data.gdeltproject.org/gdeltv2/masterfilelist.txt",
		"gdelt1,gdelt/v1/,gdelt1,http://data.gdeltproject.org/events/", "atop,alliances/", "igo,igo/", "aid,aid/"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("catalogue lacks %q:\n%s", want, r.stdout)
		}
	}
}
