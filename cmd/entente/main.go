// Command entente answers, from evidence, "who stands with whom" among states.
// Run `entente --help` for the commands.
package main

import (
	"context"
	"os"
	ossignal "os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// entente is a batch tool whose big allocations (vote matrices, result rows) all
		// live to the end of the command: collecting less often saves time, not memory.
		debug.SetGCPercent(400)
	}
	ctx, stop := ossignal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := newApp(os.Stdout, os.Stderr, os.Getenv).run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
