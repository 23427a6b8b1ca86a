package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/clickhouse"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
)

// app is one invocation of the command line. Its writers, environment and clock are
// injected so tests run commands in-process.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	countries      entente.CountryService

	// global flags, shared by every subcommand
	dbPath   string
	storeURL string
	format   string
	output   string // --output FILE ("" or "-": stdout)
	quiet    bool

	outFile  *os.File // the temporary file behind --output, renamed into place at the end
	tables   int      // result tables started (a Parquet file holds one)
	lead     []string // key columns prepended to rows in machine formats (setRankKeys)
	leadVals []any
	// stderrIsTerminal decides whether progress bars are drawn.
	stderrIsTerminal bool
	// exits: the process ends when the command does (main), so the read-only store of
	// the index's commands is left to the exit to release (duckdb.Store.LeaveOpen).
	exits bool
}

func newApp(stdout, stderr io.Writer, getenv func(string) string) *app {
	return &app{
		stdout:           stdout,
		stderr:           stderr,
		getenv:           getenv,
		now:              time.Now,
		countries:        defaultCountries{},
		stderrIsTerminal: isTerminal(stderr),
	}
}

// defaultCountries is the built-in registry (country.Default), parsed on first use: a
// process starts parsing it beside its command's first steps (main), which for the
// read commands are opening the store.
type defaultCountries struct{}

func (defaultCountries) Resolve(query string, at time.Time) (entente.Country, error) {
	return country.Default().Resolve(query, at)
}
func (defaultCountries) ByCOW(ccode int, at time.Time) (entente.Country, bool) {
	return country.Default().ByCOW(ccode, at)
}
func (defaultCountries) ByISO2(code string, at time.Time) (entente.Country, bool) {
	return country.Default().ByISO2(code, at)
}
func (defaultCountries) ByISO3(code string, at time.Time) (entente.Country, bool) {
	return country.Default().ByISO3(code, at)
}
func (defaultCountries) ByName(name string, at time.Time) (entente.Country, bool) {
	return country.Default().ByName(name, at)
}
func (defaultCountries) All() []entente.Country { return country.Default().All() }

// command is one subcommand: its name, one-line summary, usage text and body.
type command struct {
	name    string
	summary string
	usage   string // full help: synopsis, description and examples; flags are appended
	// setup registers the command's flags on fs and returns its body, which receives the
	// positional arguments once the flags are parsed.
	setup func(fs *flag.FlagSet) func(ctx context.Context, a *app, args []string) error
}

// commands is the route table of the command line, in help order.
var commands []*command

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

const mainUsage = `entente answers, from evidence, "who stands with whom" among states.

Usage:
  entente [GLOBAL FLAGS] COMMAND [ARGS] [FLAGS]

Commands:
%s
Global flags (accepted by every command, before or after the command word):
  --db PATH          the store file (default: $ENTENTE_DB, else the user data dir:
                     %s)
  --store URL        another store: duckdb://PATH or clickhouse://HOST:PORT/DB
                     [?cluster=NAME] (default: $ENTENTE_STORE; docs/scale.md)
  --format FORMAT    table (default), csv, json or parquet; csv, json and parquet carry
                     full precision (shortest round-trip), a table 3 decimals
  --output FILE      write the result to FILE (written whole or not at all), not stdout
  --quiet            no progress bars or notes on stderr

The index's commands keep what they read from a DuckDB store in a read cache (one
folder per store file and state, dropped when the file changes): $ENTENTE_CACHE, else
entente/reads in the user cache dir; ENTENTE_CACHE=off keeps nothing (docs/index.md).

States are ISO3 (RUS), ISO2 (RU), a COW number (365), a COW letter code with a prefix
(cow:AUS is Austria; bare AUS is Australia), or a name or alias ("Russian Federation"),
case-insensitive. Dates are YYYY, YYYY-MM or YYYY-MM-DD.

Examples:
  entente import unvotes ../shared/data/unvotes/*.csv
  entente rank RUS --at 2019 --metric kappa --top 20
  entente similarity USA ISR --from 2010 --to 2019 --metric agree,kappa

Exit codes: 0 ok, 1 failure, 2 bad usage or input.
Run 'entente COMMAND --help' for a command's flags and examples.
`

func (a *app) usage() string {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.summary)
	}
	def, err := duckdb.DefaultPath()
	if err != nil {
		def = "unknown: " + err.Error()
	}
	return fmt.Sprintf(mainUsage, b.String(), def)
}

// run executes the command line and returns the exit code.
func (a *app) run(ctx context.Context, args []string) int {
	args, err := leadingGlobals(args)
	if err != nil {
		fmt.Fprintf(a.stderr, "entente: %s\nRun 'entente --help' for usage.\n", err)
		return 2
	}
	if len(args) == 0 {
		fmt.Fprint(a.stderr, a.usage())
		return 2
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		if len(args) > 1 {
			c := lookupCommand(args[1])
			if c == nil {
				fmt.Fprintf(a.stderr, "entente: unknown command %q\n\n%s", args[1], a.usage())
				return 2
			}
			fmt.Fprint(a.stdout, a.commandUsage(c))
			return 0
		}
		fmt.Fprint(a.stdout, a.usage())
		return 0
	case "version", "--version":
		fmt.Fprintln(a.stdout, "entente", version)
		return 0
	}
	c := lookupCommand(args[0])
	if c == nil {
		fmt.Fprintf(a.stderr, "entente: unknown command %q\n\n%s", args[0], a.usage())
		return 2
	}
	fs := a.flagSet(c)
	body := c.setup(fs)
	pos, err := a.parse(c, fs, args[1:])
	if err == nil {
		err = a.openOutput()
	}
	if err == nil {
		err = a.finishOutput(body(ctx, a, pos))
	}
	return a.exit(c, err)
}

// globalFlags are the flags every command accepts, with whether each takes a value.
var globalFlags = map[string]bool{"db": true, "store": true, "format": true, "output": true, "quiet": false}

// leadingGlobals moves global flags given before the command word (entente --db X rank
// RUS, as git and docker users write) to just after it, where the command's flag set
// parses them.
func leadingGlobals(args []string) ([]string, error) {
	var pre []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" && args[0] != "--" {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		takesValue, global := globalFlags[name]
		if !global {
			break // --help, --version or a mistake: handled as before
		}
		pre = append(pre, args[0])
		args = args[1:]
		if takesValue && !hasValue {
			if len(args) == 0 {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			pre = append(pre, args[0])
			args = args[1:]
		}
	}
	if len(pre) == 0 {
		return args, nil
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("global flags %s given, but no command", strings.Join(pre, " "))
	}
	out := append([]string{args[0]}, pre...)
	return append(out, args[1:]...), nil
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// errHelp is returned by a command that printed its help on request.
var errHelp = errors.New("help requested")

// usageError is a mistake in the command line itself; its message is followed by the
// command's usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exit maps an error to its message and exit code: the one place that does so.
func (a *app) exit(c *command, err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(a.stderr, "entente %s: %s\nRun 'entente %s --help' for usage.\n", c.name, ue.msg, c.name)
		return 2
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(a.stderr, "entente %s: interrupted; nothing was changed by the unfinished work\n", c.name)
		return 1
	}
	fmt.Fprintf(a.stderr, "entente %s: %s\n", c.name, err)
	switch entente.ErrorCode(err) {
	case entente.EINVALID, entente.ENOTFOUND:
		return 2
	}
	return 1
}

func (a *app) commandUsage(c *command) string {
	fs := a.flagSet(c)
	c.setup(fs)
	var b strings.Builder
	b.WriteString(c.usage)
	b.WriteString("\nFlags:\n")
	fs.SetOutput(&b)
	fs.PrintDefaults()
	return b.String()
}

// flagSet returns a flag set for c with the global flags registered.
func (a *app) flagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("entente "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.dbPath, "db", "", "store file (default $ENTENTE_DB or the user data dir)")
	fs.StringVar(&a.storeURL, "store", "", "store URL: duckdb://PATH or clickhouse://HOST:PORT/DB[?cluster=NAME] (default $ENTENTE_STORE, else --db)")
	fs.StringVar(&a.format, "format", "table", "output format: table, csv, json or parquet")
	fs.StringVar(&a.output, "output", "", "write the result to `FILE` instead of stdout")
	fs.BoolVar(&a.quiet, "quiet", false, "no progress bars or notes on stderr")
	return fs
}

// parse parses args for c, allowing flags and positional arguments in any order, and
// returns the positional arguments.
func (a *app) parse(c *command, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(a.stdout, a.commandUsage(c))
				return nil, errHelp
			}
			return nil, usagef("%s", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch a.format {
	case "table", "csv", "json", "parquet":
	default:
		return nil, usagef("--format %q: want table, csv, json or parquet", a.format)
	}
	return pos, nil
}

// openStore opens the store named by --store, $ENTENTE_STORE, --db, $ENTENTE_DB or the
// default path for writing (imports), creating it when it does not exist.
func (a *app) openStore(ctx context.Context) (entente.Store, error) {
	if url := a.storeDSN(); url != "" {
		return openURL(ctx, url, false)
	}
	path, err := a.storePath()
	if err != nil {
		return nil, err
	}
	return duckdb.Open(ctx, path)
}

// openExistingStore opens the store for a command that only reads: read-only, so that
// it works beside a running 'entente serve' (which holds the store read-only too) and
// on a file without write permission; a missing DuckDB file is an error that says how
// to make one, not a new empty file.
func (a *app) openExistingStore(ctx context.Context, opts ...duckdb.ReadOption) (entente.Store, error) {
	if url := a.storeDSN(); url != "" {
		return openURL(ctx, url, true)
	}
	path, err := a.storePath()
	if err != nil {
		return nil, err
	}
	return duckdb.OpenReadOnly(ctx, path, opts...)
}

// storeDSN returns --store or $ENTENTE_STORE ("" for the DuckDB file of --db).
func (a *app) storeDSN() string {
	if a.storeURL != "" {
		return a.storeURL
	}
	return a.getenv("ENTENTE_STORE")
}

// openURL opens a store named by URL: duckdb://PATH or clickhouse://HOST:PORT/DB[?cluster=NAME];
// a DuckDB file read-only when readOnly is set.
func openURL(ctx context.Context, url string, readOnly bool) (entente.Store, error) {
	switch {
	case strings.HasPrefix(url, "duckdb://") && readOnly:
		return duckdb.OpenReadOnly(ctx, strings.TrimPrefix(url, "duckdb://"))
	case strings.HasPrefix(url, "duckdb://"):
		return duckdb.Open(ctx, strings.TrimPrefix(url, "duckdb://"))
	case strings.HasPrefix(url, "clickhouse://"):
		return clickhouse.Open(ctx, url)
	}
	return nil, entente.Errorf(entente.EINVALID, "--store %q: want duckdb://PATH or clickhouse://HOST:PORT/DB[?cluster=NAME]", url)
}

func (a *app) storePath() (string, error) {
	if a.dbPath != "" {
		return a.dbPath, nil
	}
	if p := a.getenv("ENTENTE_DB"); p != "" {
		return p, nil
	}
	return duckdb.DefaultPath()
}

// note writes an informational line to stderr unless --quiet.
func (a *app) note(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.stderr, format+"\n", args...)
	}
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && termIsTerminal(int(f.Fd()))
}
