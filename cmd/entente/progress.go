package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar draws one line on stderr for long work: label, bar, percentage, bytes.
// It draws nothing under --quiet or when stderr is not a terminal.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	last  time.Time
	drawn bool
}

func (a *app) progress() *progressBar {
	return &progressBar{w: a.stderr, on: !a.quiet && a.stderrIsTerminal}
}

// Update redraws the bar at most ten times a second; done and total are bytes.
func (p *progressBar) Update(label string, done, total int64) {
	p.draw(label, done, total, func() string { return humanBytes(done) + "/" + humanBytes(total) })
}

// UpdateCount is Update for work counted in units ("focal-years"), not bytes.
func (p *progressBar) UpdateCount(label string, done, total int64, unit string) {
	p.draw(label, done, total, func() string { return fmt.Sprintf("%d/%d %s", done, total, unit) })
}

func (p *progressBar) draw(label string, done, total int64, amount func() string) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = now
	frac := 0.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	const width = 30
	n := int(frac * width)
	if len(label) > 40 {
		label = "…" + label[len(label)-39:]
	}
	fmt.Fprintf(p.w, "\r\033[K%-40s [%s%s] %3.0f%% %s", label,
		strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, amount())
	p.drawn = true
}

// Done clears the bar's line.
func (p *progressBar) Done() {
	if p == nil || !p.on || !p.drawn {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
	p.drawn = false
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
