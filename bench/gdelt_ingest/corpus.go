package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// rowsPerFile is about the size of a real 15-minute export file (2,084 to 2,414 rows in
// the staged ones).
const rowsPerFile = 2500

// corpusStart is the slot of the first generated file.
var corpusStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// poolRow is one real export row, split, with the days between its event and the day
// GDELT added it.
type poolRow struct {
	fields [][]byte
	lag    int
}

// generate writes rows resampled from the real export files of src into dir, unless a
// complete corpus is there already, and returns the files in order and their size.
//
// File k is the slot corpusStart + 15 minutes × k; it takes the pool's rows k×2,500 ...
// (wrapping around), in the pool's order (the real files' order), so each file keeps
// the structure of a real one: runs of rows from one article. Per row: GLOBALEVENTID is
// renumbered (1,000,000,000 + row number); DATEADDED is the file's slot; SQLDATE (and
// MonthYear, Year) moves with it, keeping the row's lag; SOURCEURL gets the fragment
// "#s<k>", so that, as upstream, the articles of one slot are not those of another (the
// pool holds 11,000 rows: without it almost every generated row would re-emit an earlier
// one). Near-duplicates within a file are those of the real files.
func generate(src, dir string, rows int) ([]string, int64, error) {
	nfiles := (rows + rowsPerFile - 1) / rowsPerFile
	names := make([]string, nfiles)
	for k := range names {
		names[k] = filepath.Join(dir, corpusStart.Add(time.Duration(k)*15*time.Minute).Format("20060102150405")+".export.CSV")
	}
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err == nil {
		var size int64
		for _, n := range names {
			fi, err := os.Stat(n)
			if err != nil {
				return nil, 0, err
			}
			size += fi.Size()
		}
		return names, size, nil
	}
	pool, err := loadPool(src)
	if err != nil {
		return nil, 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, 0, err
	}
	var size int64
	id := int64(1_000_000_000)
	next := 0
	var line []byte
	for k, name := range names {
		slot := corpusStart.Add(time.Duration(k) * 15 * time.Minute)
		stamp := []byte(slot.Format("20060102150405"))
		frag := []byte("#s" + strconv.Itoa(k))
		f, err := os.Create(name)
		if err != nil {
			return nil, 0, err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		n := min(rowsPerFile, rows-k*rowsPerFile)
		for range n {
			r := &pool[next]
			next = (next + 1) % len(pool)
			id++
			day := slot.AddDate(0, 0, -r.lag)
			line = line[:0]
			for i, fld := range r.fields {
				if i > 0 {
					line = append(line, '\t')
				}
				switch i {
				case 0:
					line = strconv.AppendInt(line, id, 10)
				case 1:
					line = day.AppendFormat(line, "20060102")
				case 2:
					line = day.AppendFormat(line, "200601")
				case 3:
					line = day.AppendFormat(line, "2006")
				case 59:
					line = append(line, stamp...)
				case 60:
					line = append(append(line, fld...), frag...)
				default:
					line = append(line, fld...)
				}
			}
			line = append(line, '\n')
			w.Write(line)
			size += int64(len(line))
		}
		if err := w.Flush(); err != nil {
			return nil, 0, err
		}
		if err := f.Close(); err != nil {
			return nil, 0, err
		}
	}
	if err := os.WriteFile(done, []byte(fmt.Sprintf("%d rows\n", rows)), 0o644); err != nil {
		return nil, 0, err
	}
	return names, size, nil
}

// loadPool reads every row of the real export files, in file order.
func loadPool(src string) ([]poolRow, error) {
	paths, _ := filepath.Glob(filepath.Join(src, "*.export.CSV"))
	sort.Strings(paths)
	if len(paths) == 0 {
		return nil, fmt.Errorf("no real export files in %s (the shared data's gdelt/v2)", src)
	}
	var pool []poolRow
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			l = bytes.TrimSuffix(l, []byte("\r"))
			f := bytes.Split(l, []byte("\t"))
			if len(f) != 61 {
				continue
			}
			ev, err1 := time.Parse("20060102", string(f[1]))
			added, err2 := time.Parse("20060102", string(f[59][:min(8, len(f[59]))]))
			if err1 != nil || err2 != nil {
				continue
			}
			pool = append(pool, poolRow{fields: f, lag: int(added.Sub(ev).Hours() / 24)})
		}
	}
	if len(pool) == 0 {
		return nil, fmt.Errorf("no export rows in %s", src)
	}
	return pool, nil
}
