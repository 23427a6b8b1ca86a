package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// machineFormat reports whether the output is for programs (csv, json, parquet), which
// carry values at full precision and the key columns a table leaves to the note.
func (a *app) machineFormat() bool { return a.format != "table" }

// appendMachineFloat appends v in the shortest form that reads back as the same float64
// (strconv 'g', -1: "0.75", "0.30000000000000004", "1e-07"), or nothing for NaN and
// ±Inf, which are undefined.
func appendMachineFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dst
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// openOutput sends the command's output to --output FILE: a temporary file beside it,
// renamed into place by finishOutput once the command succeeded, so a failed or
// interrupted export never leaves a half-written FILE. Without --output, Parquet is
// refused on a terminal (binary); redirect it or give --output.
func (a *app) openOutput() error {
	if a.output == "" {
		if a.format == "parquet" && isTerminal(a.stdout) {
			return usagef("--format parquet writes a binary file: give --output FILE (or redirect stdout)")
		}
		return nil
	}
	if a.output == "-" {
		return nil
	}
	dir := filepath.Dir(a.output)
	f, err := os.CreateTemp(dir, "."+filepath.Base(a.output)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--output %s: %w", a.output, err)
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes 0600; an export is a normal file
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("--output %s: %w", a.output, err)
	}
	a.outFile = f
	a.stdout = f
	return nil
}

// finishOutput closes --output FILE and moves it into place when err is nil, or removes
// it otherwise; it returns err, or the error of closing or renaming.
func (a *app) finishOutput(err error) error {
	f := a.outFile
	if f == nil {
		return err
	}
	a.outFile = nil
	cerr := f.Close()
	if err == nil && cerr != nil {
		err = fmt.Errorf("--output %s: %w", a.output, cerr)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	if rerr := os.Rename(f.Name(), a.output); rerr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("--output %s: %w", a.output, rerr)
	}
	return nil
}

// errSecondTable is the error of a second table in one Parquet file.
var errSecondTable = errors.New("this command writes more than one table and a Parquet file holds one: use --format csv or json")

// failingWriter is a rowWriter that only returns its error.
type failingWriter struct{ err error }

func (f failingWriter) Row(...any) error { return f.err }
func (f failingWriter) Close() error     { return f.err }

// setRankKeys makes the rows of a ranking carry its focal state and date in machine
// formats (columns focal and at, first), so rankings of several states or dates stack
// into one panel. at is the last day of the ranking's window.
func (a *app) setRankKeys(focal string, at time.Time) {
	a.lead = []string{"focal", "at"}
	a.leadVals = []any{focal, at.Format(time.DateOnly)}
}

// leadWriter prepends constant key columns to every row.
type leadWriter struct {
	rowWriter
	lead []any
	buf  []any
}

func (l *leadWriter) Row(vals ...any) error {
	l.buf = append(append(l.buf[:0], l.lead...), vals...)
	return l.rowWriter.Row(l.buf...)
}
