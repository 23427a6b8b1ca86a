// Package tabular writes result tables in the formats programs read: Apache Parquet
// here, shared by the command line (--format parquet) and the API's downloads.
package tabular

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Parquet writes one result table as an Apache Parquet file:
// typed, nullable columns — int64 for whole numbers, double for measures (NaN and nil
// are null, never 0), string otherwise — zstd-compressed. A column's type is taken from
// the first non-null values: rows are held until every column has one, or until
// parquetProbeRows rows, after which a column never yet seen is written as string.
type Parquet struct {
	out     io.Writer
	columns []string
	kinds   []parquet.Kind // 0 until known
	pending [][]any
	w       *parquet.Writer
	vals    []parquet.Value // the values of the rows of batch
	batch   []parquet.Row
}

// parquetProbeRows bounds the rows held to find the column types.
const parquetProbeRows = 4096

// NewParquet returns a writer of a table with these columns to out.
func NewParquet(out io.Writer, columns []string) *Parquet {
	return &Parquet{out: out, columns: columns, kinds: make([]parquet.Kind, len(columns))}
}

// kindOf is the Parquet type of a Go value, and whether the value says anything. A NaN
// float64 is a null that still says its column is a measure: a column of measures that
// is undefined in every row is double, not string.
func kindOf(v any) (parquet.Kind, bool) {
	switch v.(type) {
	case nil:
		return 0, false
	case int, int64:
		return parquet.Int64, true
	case float64:
		return parquet.Double, true
	}
	return parquet.ByteArray, true
}

// Row writes one row: string, int, int64, float64 (NaN is null) or nil (null).
func (p *Parquet) Row(vals ...any) error {
	if len(vals) != len(p.columns) {
		return fmt.Errorf("parquet: row of %d values for %d columns", len(vals), len(p.columns))
	}
	if p.w != nil {
		return p.write(vals)
	}
	known := true
	for i, v := range vals {
		if k, ok := kindOf(v); ok && p.kinds[i] == 0 {
			p.kinds[i] = k
		} else if ok && p.kinds[i] == parquet.Int64 && k == parquet.Double {
			p.kinds[i] = parquet.Double // a column of counts and measures is a measure
		}
		known = known && p.kinds[i] != 0
	}
	p.pending = append(p.pending, append([]any(nil), vals...))
	if known || len(p.pending) >= parquetProbeRows {
		return p.start()
	}
	return nil
}

// start fixes the schema and writes the rows held so far.
func (p *Parquet) start() error {
	g := parquet.Group{}
	for i, name := range p.columns {
		var n parquet.Node
		switch p.kinds[i] {
		case parquet.Int64:
			n = parquet.Int(64)
		case parquet.Double:
			n = parquet.Leaf(parquet.DoubleType)
		default:
			p.kinds[i] = parquet.ByteArray
			n = parquet.String()
		}
		if _, dup := g[name]; dup {
			return fmt.Errorf("parquet: column %q twice", name)
		}
		g[name] = parquet.Optional(n)
	}
	schema := parquet.NewSchema("entente", orderedGroup{Group: g, order: p.columns})
	p.w = parquet.NewWriter(p.out, schema, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(parquetRowGroupRows))
	for _, r := range p.pending {
		if err := p.write(r); err != nil {
			return err
		}
	}
	p.pending = nil
	return nil
}

func (p *Parquet) write(vals []any) error {
	// The batch's rows are consecutive slices of one buffer of values, reset after each
	// flush; a string value owns its bytes.
	if p.vals == nil {
		p.vals = make([]parquet.Value, 0, parquetBatchRows*len(p.columns))
	}
	if cap(p.vals)-len(p.vals) < len(p.columns) {
		if err := p.flush(); err != nil {
			return err
		}
	}
	start := len(p.vals)
	row := parquet.Row(p.vals[start:start])
	for i, v := range vals {
		var pv parquet.Value
		switch p.kinds[i] {
		case parquet.Int64:
			switch x := v.(type) {
			case int:
				pv = parquet.Int64Value(int64(x))
			case int64:
				pv = parquet.Int64Value(x)
			case nil:
			default:
				return fmt.Errorf("parquet: column %q holds whole numbers, got %v", p.columns[i], v)
			}
		case parquet.Double:
			switch x := v.(type) {
			case float64:
				if !math.IsNaN(x) {
					pv = parquet.DoubleValue(x)
				}
			case int:
				pv = parquet.DoubleValue(float64(x))
			case int64:
				pv = parquet.DoubleValue(float64(x))
			case nil:
			default:
				return fmt.Errorf("parquet: column %q holds numbers, got %v", p.columns[i], v)
			}
		default:
			switch x := v.(type) {
			case nil:
			case string:
				pv = parquet.ByteArrayValue([]byte(x))
			case float64:
				if !math.IsNaN(x) {
					pv = parquet.ByteArrayValue(strconv.AppendFloat(nil, x, 'g', -1, 64))
				}
			default:
				pv = parquet.ByteArrayValue(fmt.Append(nil, x))
			}
		}
		def := 1
		if pv.IsNull() {
			def = 0
		}
		row = append(row, pv.Level(0, def, i))
	}
	p.vals = p.vals[:start+len(row)]
	// Rows go to the writer in batches: one WriteRows call per row costs more than the
	// row itself.
	p.batch = append(p.batch, row)
	if len(p.batch) >= parquetBatchRows {
		return p.flush()
	}
	return nil
}

// parquetRowGroupRows bounds a row group (DuckDB's size): a long table is written as it
// streams, not held whole until Close.
const parquetRowGroupRows = 122880

// parquetBatchRows is the number of rows handed to the writer at once.
const parquetBatchRows = 1024

func (p *Parquet) flush() error {
	if len(p.batch) == 0 {
		return nil
	}
	_, err := p.w.WriteRows(p.batch)
	clear(p.batch)
	p.batch = p.batch[:0]
	clear(p.vals)
	p.vals = p.vals[:0]
	return err
}

// Close writes the rows held and the footer; it does not close the writer below.
func (p *Parquet) Close() error {
	if p.w == nil {
		if err := p.start(); err != nil {
			return err
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	return p.w.Close()
}

// orderedGroup is a Parquet group whose columns keep the table's order (a plain
// parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	order []string
}

// Fields returns the group's fields in the table's column order.
func (g orderedGroup) Fields() []parquet.Field {
	byName := map[string]parquet.Field{}
	for _, f := range g.Group.Fields() {
		byName[f.Name()] = f
	}
	out := make([]parquet.Field, 0, len(g.order))
	for _, name := range g.order {
		out = append(out, byName[name])
	}
	return out
}
