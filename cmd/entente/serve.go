package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"github.com/entente/entente/bloc"
	"github.com/entente/entente/duckdb"
	enthttp "github.com/entente/entente/http"
	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "serve",
		summary: "serve the JSON API and the dashboard over HTTP",
		usage: `Usage:
  entente serve [--addr 127.0.0.1:8080] [--allow-host NAME,...]

Serves, read-only, from the store: the dashboard at / (a world map coloured by
alignment with a focal state, a ranking, pair timelines and their evidence; embedded,
no network needed) and the JSON API under /api/v1/ (docs/api.md; the OpenAPI document
is at /api/v1/openapi.json), with /healthz and /metrics (Prometheus). The index uses
the configuration of 'entente rank' ($ENTENTE_INDEX_CONFIG, $ENTENTE_INDEX_WEIGHTS).
Ctrl-C stops the server gracefully: requests in flight finish first.

A server on a loopback address answers only requests whose Host is localhost or a
loopback address (a web page elsewhere cannot reach it by DNS rebinding); behind a
reverse proxy, name the host the proxy forwards with --allow-host. Expensive requests
(uncached rankings, drifts) run a few at a time; when too many wait, the server
answers 503 with Retry-After at once rather than slowly.

'entente up' syncs, imports and then serves in one go.

Examples:
  entente serve
  entente serve --addr :8080
  entente serve --allow-host entente.example.org
  curl 'http://127.0.0.1:8080/api/v1/rank/RUS?at=2025-06&top=10'
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			addr := fs.String("addr", "127.0.0.1:8080", "address to listen on: host:port")
			hosts := fs.String("allow-host", "", "comma-separated host names the Host header may carry besides those of --addr")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return a.serve(ctx, *addr, splitHosts(*hosts), nil)
			}
		},
	})
}

// serve answers HTTP requests on addr from the store until ctx is cancelled. ready, if
// set, is called with the server's URL once it listens.
func (a *app) serve(ctx context.Context, addr string, allowHosts []string, ready func(url string)) error {
	// A server lives long and its memory must follow what it holds, not the batch
	// setting of main; the limit makes the runtime collect harder before the process
	// passes it.
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(serveMemoryLimit)
	cfg, err := a.indexConfig(indexOptions{})
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// A DuckDB store is open read-only and imports wait for the server to stop, so the
	// engine may keep the facts it reads between requests (a ClickHouse store may be
	// written by others while serving: no).
	e := index.New(st, a.countries, bloc.Default(), cfg)
	if _, ok := st.(*duckdb.Store); ok {
		e.KeepFacts()
	}
	srv := enthttp.NewServer(e, st, a.countries)
	// Idle for 15 s after work: forget the engine's kept facts and hand the freed memory
	// back, so that a server at rest does not hold its peak (the response cache stays).
	srv.OnIdle = func() {
		e.DropKept()
		debug.FreeOSMemory()
	}
	srv.Logf = func(format string, args ...any) {
		fmt.Fprintf(a.stderr, "%s %s\n", a.now().Format(time.RFC3339), fmt.Sprintf(format, args...))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if hosts := enthttp.DefaultHosts(ln.Addr().String()); hosts != nil {
		srv.AllowedHosts = append(hosts, allowHosts...)
	}
	url := "http://" + ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		url = fmt.Sprintf("http://127.0.0.1:%d", tcp.Port)
	}
	// Progress and the address go to stderr even under --quiet: a server that does not
	// say where it listens is no use.
	fmt.Fprintf(a.stderr, "entente: dashboard at %s/ (API %s/api/v1/, Ctrl-C stops)\n", url, url)
	if ready != nil {
		ready(url)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(a.stderr, "entente: server stopped")
	return nil
}

// serveMemoryLimit is the Go heap a server aims to stay under (the response cache is
// 256 MiB of it); DuckDB's own memory is bounded apart (duckdb.memoryLimit).
const serveMemoryLimit = 768 << 20

// splitHosts splits a comma-separated list of host names, dropping empty items.
func splitHosts(list string) []string {
	var out []string
	for _, h := range strings.Split(list, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}
