package main

import (
	"bufio"
	"context"
	"io"
	nethttp "net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCLIChild runs the command line in a child process: the arguments come from
// $ENTENTE_CLI_CHILD_ARGS, separated by the unit separator (0x1f).
func TestCLIChild(t *testing.T) {
	args := os.Getenv("ENTENTE_CLI_CHILD_ARGS")
	if args == "" {
		t.Skip("not a test by itself: the child process of TestReadBesideServer")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := newApp(os.Stdout, os.Stderr, os.Getenv).run(ctx, strings.Split(args, "\x1f"))
	stop()
	os.Exit(code)
}

// TestReadBesideServer: while 'entente serve' holds the store in another process, the
// read commands work, and an import stops with one line saying what to do.
func TestReadBesideServer(t *testing.T) {
	db := excerptDB(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$")
	cmd.Env = append(os.Environ(), "ENTENTE_CLI_CHILD_ARGS="+strings.Join([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Error("the server did not stop within 15 s of Ctrl-C")
		}
	}()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`dashboard at (http://\S+)/ `)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
		close(urlc)
	}()
	var url string
	select {
	case url = <-urlc:
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not say where it listens within 60 s")
	}
	if url == "" {
		t.Fatal("the server stopped before listening")
	}

	r := mustRun(t, db, "rank", "RUS", "--at", "1992", "--signal", "unvotes", "--format", "csv")
	if tb := parseCSV(t, r.stdout); len(tb.rows) == 0 {
		t.Errorf("rank beside the server printed no rows:\n%s", r.stdout)
	}
	mustRun(t, db, "similarity", "RUS", "USA", "--from", "1991", "--to", "1992", "--format", "csv")
	mustRun(t, db, "verify", "--quiet")

	imp := cli(t, db, "import", "ledger", "../../data/ledger", "--quiet")
	if imp.code != 1 || !strings.Contains(imp.stderr, "in use by another process") || !strings.Contains(imp.stderr, "stop it first") ||
		strings.Count(strings.TrimSpace(imp.stderr), "\n") > 0 {
		t.Errorf("import beside the server: exit %d, stderr %q; want exit 1 and one line saying what to do", imp.code, imp.stderr)
	}

	resp, err := nethttp.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("the server stopped answering: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz after the CLI work: %d", resp.StatusCode)
	}
}
