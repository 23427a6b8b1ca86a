package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/entente/entente/tabular"
)

// appendFixed appends v with six decimals, never "-0.000000", or nothing for NaN: the
// number format of every table (the same digits as signal.AppendFixed, the bulk CSV
// writer's fast path, which its tests check against strconv).
func appendFixed(b []byte, v float64) []byte {
	if math.IsNaN(v) {
		return b
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', 6, 64)
	if string(b[start:]) == "-0.000000" {
		b = append(b[:start], "0.000000"...)
	}
	return b
}

// rowWriter writes one result table in the chosen --format. Values are string, int,
// int64, float64 (NaN means undefined) or nil (undefined). An undefined value is an
// empty CSV field, null in JSON and "-" in a table.
type rowWriter interface {
	Row(vals ...any) error
	Close() error
}

func (a *app) newRowWriter(columns []string) rowWriter {
	if len(a.lead) > 0 && a.machineFormat() {
		w := a.formatWriter(append(append([]string(nil), a.lead...), columns...))
		return &leadWriter{rowWriter: w, lead: a.leadVals}
	}
	return a.formatWriter(columns)
}

// formatWriter is the writer of --format: csv, json and parquet carry values at full
// precision (shortest round-trip), a table 3 decimals.
func (a *app) formatWriter(columns []string) rowWriter {
	a.tables++
	switch a.format {
	case "csv":
		w := &csvWriter{w: bufio.NewWriterSize(a.stdout, 1<<16)}
		w.header(columns)
		return w
	case "json":
		return &jsonWriter{w: bufio.NewWriterSize(a.stdout, 1<<16), columns: columns}
	case "parquet":
		if a.tables > 1 {
			return failingWriter{errSecondTable}
		}
		return tabular.NewParquet(a.stdout, columns)
	}
	return &tableWriter{w: a.stdout, columns: columns}
}

type csvWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (c *csvWriter) header(columns []string) {
	c.w.WriteString(strings.Join(columns, ","))
	c.w.WriteByte('\n')
}

func (c *csvWriter) Row(vals ...any) error {
	b := c.buf[:0]
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := v.(type) {
		case nil:
		case string:
			b = appendCSVString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case float64:
			b = appendMachineFloat(b, v)
		default:
			b = appendCSVString(b, fmt.Sprint(v))
		}
	}
	b = append(b, '\n')
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

func appendCSVString(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

func (c *csvWriter) Close() error { return c.w.Flush() }

type jsonWriter struct {
	w       *bufio.Writer
	columns []string
	n       int
}

func (j *jsonWriter) Row(vals ...any) error {
	if j.n == 0 {
		j.w.WriteString("[\n")
	} else {
		j.w.WriteString(",\n")
	}
	j.n++
	j.w.WriteString("  {")
	for i, v := range vals {
		if i > 0 {
			j.w.WriteString(", ")
		}
		k, _ := json.Marshal(j.columns[i])
		j.w.Write(k)
		j.w.WriteString(": ")
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			v = nil
		}
		if f, ok := v.(float64); ok {
			j.w.Write(appendMachineFloat(nil, f))
			continue
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return err
		}
		j.w.Write(enc)
	}
	j.w.WriteString("}")
	return nil
}

func (j *jsonWriter) Close() error {
	if j.n == 0 {
		j.w.WriteString("[")
	}
	j.w.WriteString("\n]\n")
	return j.w.Flush()
}

// tableWriter aligns columns for people; it buffers all rows to size the columns.
type tableWriter struct {
	w       io.Writer
	columns []string
	rows    [][]string
	numeric []bool
}

func (t *tableWriter) Row(vals ...any) error {
	if t.numeric == nil {
		t.numeric = make([]bool, len(vals))
	}
	row := make([]string, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			row[i] = "-"
		case string:
			row[i] = v
		case int, int64:
			row[i] = fmt.Sprint(v)
			t.numeric[i] = true
		case float64:
			t.numeric[i] = true
			if math.IsNaN(v) {
				row[i] = "-"
			} else {
				row[i] = strconv.FormatFloat(v, 'f', 3, 64)
			}
		default:
			row[i] = fmt.Sprint(v)
		}
	}
	t.rows = append(t.rows, row)
	return nil
}

func (t *tableWriter) Close() error {
	width := make([]int, len(t.columns))
	for i, c := range t.columns {
		width[i] = utf8.RuneCountInString(c)
	}
	for _, r := range t.rows {
		for i, s := range r {
			width[i] = max(width[i], utf8.RuneCountInString(s))
		}
	}
	if t.numeric == nil {
		t.numeric = make([]bool, len(t.columns))
	}
	bw := bufio.NewWriter(t.w)
	line := func(cells []string) {
		for i, s := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if i > 0 {
				bw.WriteString("  ")
			}
			if t.numeric[i] {
				bw.WriteString(pad + s)
			} else if i < len(cells)-1 {
				bw.WriteString(s + pad)
			} else {
				bw.WriteString(s)
			}
		}
		bw.WriteByte('\n')
	}
	line(t.columns)
	for _, r := range t.rows {
		line(r)
	}
	return bw.Flush()
}
