// Command entente answers, from evidence, "who stands with whom" among states.
// Run `entente --help` for the commands.
package main

import (
	"context"
	"os"
	ossignal "os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
)

// The kernel hands a process-wide signal (Ctrl-C) to the main OS thread first. A thread
// stalled in a file read (a hung network mount: the wait is killable only) never returns
// to run Go's signal handler, so a signal queued to it would never be seen. The main
// goroutine is therefore kept on the main thread (LockOSThread in init) and does no work
// of its own: the command runs in another goroutine, and the main thread only waits.
func init() { runtime.LockOSThread() }

func main() {
	if os.Getenv("GOGC") == "" {
		// entente is a batch tool whose big allocations (vote matrices, result rows) all
		// live to the end of the command: collecting less often saves time, not memory.
		debug.SetGCPercent(400)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	ossignal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first Ctrl-C (or SIGTERM) cancels the work, which then stops cleanly (an
		// import leaves the store as it was); a second one ends the process at once.
		<-sigs
		cancel()
		<-sigs
		os.Stderr.WriteString("entente: stopped at once by a second interrupt\n")
		os.Exit(130)
	}()
	if path := os.Getenv("ENTENTE_CPUPROFILE"); path != "" {
		// A CPU profile of the whole command, for `go tool pprof` (docs/performance.md).
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer f.Close()
			}
		}
	}
	// The built-in registries are parsed beside the command's first steps (the store's
	// open, for the read commands), not before them.
	go func() {
		country.Default()
		bloc.Default()
	}()
	a := newApp(os.Stdout, os.Stderr, os.Getenv)
	a.exits = true
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, os.Args[1:]) }()
	code := <-done
	pprof.StopCPUProfile()
	cancel()
	os.Exit(code)
}
