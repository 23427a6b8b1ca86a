package unvotes

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// File is one input file of an import: its path and, optionally, how to open it. Its
// bytes are plain or gzip-compressed (detected by the magic bytes). Import opens each
// file twice (inputfile): a first pass hashes it and finds its layout, the second reads
// it and checks the digest again.
type File = inputfile.File

// Options tune an import. The zero value is valid.
type Options struct {
	// KnownDates holds the dates of unvotes roll calls already stored, by ID (the
	// store's RollCallDates(ctx, entente.SourceUNVotes)), so un_votes.csv can be
	// imported without un_roll_calls.csv once the roll calls are in.
	KnownDates map[string]time.Time
	// Progress, if set, is called with each file's bytes read so far, at most every
	// 100 ms and once when the file is done. bytesTotal is the file's size on disk.
	Progress func(file string, bytesDone, bytesTotal int64)
}

// Result accounts for one file of an import (inputfile.Result) and names its layout.
type Result struct {
	inputfile.Result
	Layout Layout
}

// Import reads files into w: roll-call files first (so vote files find their dates),
// then the others in the order given, each between w.StartFile and w.FinishFile.
// States are resolved through countries at each vote's date (see the package comment).
// Bad records are quarantined and the import goes on; a file-level fault (missing or
// unreadable file, empty file, unknown header), an error of w or a cancelled ctx stops
// it with an error, and the caller's store then drops the whole import.
//
// Typical wiring, in cmd/entente:
//
//	dates, _ := store.RollCallDates(ctx, entente.SourceUNVotes)
//	reports, err := store.ImportVotes(ctx, func(w entente.VoteWriter) error {
//		_, err := unvotes.Import(ctx, w, registry, files, unvotes.Options{KnownDates: dates})
//		return err
//	})
func Import(ctx context.Context, w entente.VoteWriter, countries entente.CountryService, files []File, opt Options) ([]Result, error) {
	plans := make([]*plan, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := survey(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("import unvotes: %w", err)
		}
		plans = append(plans, p)
	}
	slices.SortStableFunc(plans, func(a, b *plan) int { return rank(a.layout) - rank(b.layout) })

	dates := map[string]time.Time{} // unvotes roll-call dates read in this import
	results := make([]Result, 0, len(plans))
	for _, p := range plans {
		res, err := p.run(ctx, w, countries, dates, opt)
		if err != nil {
			return results, fmt.Errorf("import unvotes %s: %w", p.file.Path, err)
		}
		results = append(results, res)
	}
	return results, nil
}

func rank(l Layout) int {
	if l == LayoutRollCalls {
		return 0
	}
	return 1
}

// plan is a file after the first pass.
type plan struct {
	file   File
	info   entente.ImportFile
	layout Layout
	// Voeten only: each resid's most frequent date. A few rows of session 78 carry
	// another roll call's date; the roll call gets the date most of its rows agree on.
	majority map[int]time.Time
}

// errStop ends a first-pass Read after the header.
var errStop = errors.New("stop")

// survey is the first pass over a file: digest, size, layout and, for the Voeten layout,
// the roll calls' majority dates.
func survey(ctx context.Context, f File) (*plan, error) {
	raw, err := inputfile.Open(ctx, f)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	r, err := decompress(raw, f.Path)
	if err != nil {
		return nil, err
	}
	p := &plan{file: f}
	type tally struct {
		date time.Time
		n    int
	}
	var seen map[int][]tally
	p.layout, err = Read(r, f.Path, func(row Row) error {
		v, ok := row.(*VoetenRow)
		if !ok {
			if _, bad := row.(*BadRow); bad {
				return nil // the layout is not known yet: go on until a good row tells
			}
			return errStop
		}
		if seen == nil {
			seen = map[int][]tally{}
		}
		ts := seen[v.ResID]
		for i := range ts {
			if ts[i].date.Equal(v.Date) {
				ts[i].n++
				return nil
			}
		}
		seen[v.ResID] = append(ts, tally{v.Date, 1})
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	sum, size, err := raw.Digest() // reads the rest
	if err != nil {
		return nil, err
	}
	if len(seen) > 0 {
		p.majority = make(map[int]time.Time, len(seen))
		for id, ts := range seen {
			best := ts[0]
			for _, t := range ts[1:] {
				if t.n > best.n || t.n == best.n && t.date.Before(best.date) {
					best = t
				}
			}
			p.majority[id] = best.date
		}
	}
	p.info = entente.ImportFile{Source: p.layout.Source(), Path: f.Path, SHA256: sum, Size: size}
	return p, nil
}

// decompress returns r itself, or a gzip reader when r starts with the gzip magic bytes.
func decompress(r io.Reader, path string) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	return zr, nil
}

// fileImport maps the rows of one file into the writer.
type fileImport struct {
	ctx   context.Context
	w     entente.VoteWriter
	res   *resolver
	plan  *plan
	dates map[string]time.Time // unvotes roll-call dates of this import
	known map[string]time.Time // and of the store
	read  int64

	implied       map[int]bool // Voeten roll calls already passed
	lastResID     int
	lastResIDs    string
	offDate       int // Voeten rows dated unlike their roll call's majority
	noDate        int
	otherCouncils map[string]int
	noCOW         int
}

func (p *plan) run(ctx context.Context, w entente.VoteWriter, countries entente.CountryService, dates map[string]time.Time, opt Options) (Result, error) {
	if err := w.StartFile(p.info); err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(ctx, p.file, p.info.SHA256)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	raw := inputfile.NewProgress(tee, p.file.Path, p.info.Size, opt.Progress)
	r, err := decompress(raw, p.file.Path)
	if err != nil {
		return Result{}, err
	}
	fi := &fileImport{ctx: ctx, w: w, res: newResolver(countries), plan: p, dates: dates, known: opt.KnownDates,
		implied: map[int]bool{}, otherCouncils: map[string]int{}}
	if _, err := Read(r, p.file.Path, fi.row); err != nil {
		return Result{}, err
	}
	if _, err := io.Copy(io.Discard, raw); err != nil { // the rest, counted as progress
		return Result{}, fmt.Errorf("read %s: %w", p.file.Path, err)
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	raw.Done()
	notes := fi.notes()
	if err := w.FinishFile(fi.read, notes); err != nil {
		return Result{}, err
	}
	return Result{Result: inputfile.Result{File: p.info, Read: fi.read, Notes: notes}, Layout: p.layout}, nil
}

func (fi *fileImport) row(row Row) error {
	fi.read++
	if fi.read%8192 == 0 {
		if err := fi.ctx.Err(); err != nil {
			return err
		}
	}
	switch r := row.(type) {
	case *BadRow:
		return fi.w.Quarantine(fi.quarantined(r.Err, r.Raw))
	case *VoetenRow:
		return fi.voeten(r)
	case *VoteRow:
		return fi.vote(r)
	case *RollCallRow:
		fi.dates[r.RollCall.ID] = r.RollCall.Date
		return fi.w.RollCall(r.RollCall)
	case *IssueRow:
		if _, ok := entente.Issues[r.Issue]; !ok {
			return fi.refuse(r.Line, "short_name", r.raw, fmt.Errorf("unknown issue code %q: want one of co, di, ec, hr, me, nu", r.Issue))
		}
		return fi.w.Issue(entente.RollCallIssue{Source: entente.SourceUNVotes, RollCallID: r.RCID, Issue: r.Issue})
	case *UNDLRow:
		return fi.undl(r)
	}
	panic(fmt.Sprintf("BUG: unvotes: row of type %T", row))
}

func (fi *fileImport) quarantined(pe *entente.ParseError, raw string) entente.Quarantined {
	return entente.Quarantined{
		Source: fi.plan.info.Source, File: fi.plan.info.Path, SHA256: fi.plan.info.SHA256,
		Line: pe.Line, Field: pe.Field, Reason: pe.Error(), Raw: raw,
	}
}

// refuse quarantines one record of line for err.
func (fi *fileImport) refuse(line int, field string, raw []byte, err error) error {
	pe := &entente.ParseError{File: fi.plan.info.Path, Line: line, Field: field, Err: err}
	return fi.w.Quarantine(fi.quarantined(pe, entente.CutRaw(raw)))
}

func (fi *fileImport) voeten(r *VoetenRow) error {
	date, ok := fi.plan.majority[r.ResID]
	if !ok {
		return fmt.Errorf("BUG: unvotes: resid %d missing from the first pass of %s", r.ResID, fi.plan.file.Path)
	}
	if !date.Equal(r.Date) {
		fi.offDate++
	}
	if r.ResID != fi.lastResID {
		fi.lastResID, fi.lastResIDs = r.ResID, strconv.Itoa(r.ResID)
	}
	id := fi.lastResIDs
	if !fi.implied[r.ResID] {
		fi.implied[r.ResID] = true
		rc := entente.RollCall{Source: entente.SourceVoeten, ID: id, Session: r.ResID / 1000, Date: date}
		if err := fi.w.ImpliedRollCall(rc); err != nil {
			return err
		}
	}
	c, err := fi.res.resolve(kindCOW, "", r.CCode, date)
	if err != nil {
		return fi.refuse(r.Line, "ccode", r.raw, err)
	}
	return fi.w.Vote(entente.Vote{Source: entente.SourceVoeten, RollCallID: id, CCode: c.COW, ISO3: c.ID, Value: r.Vote, Line: r.Line})
}

func (fi *fileImport) vote(r *VoteRow) error {
	date, ok := fi.dates[r.RCID]
	if !ok {
		date, ok = fi.known[r.RCID]
	}
	if !ok {
		fi.noDate++
		return fi.refuse(r.Line, "rcid", r.raw, fmt.Errorf("roll call %s has no known date: import un_roll_calls.csv too (in the same import or before)", r.RCID))
	}
	c, err := fi.voter(r, date)
	if err != nil {
		return fi.refuse(r.Line, "country_code", r.raw, err)
	}
	return fi.emitVote(entente.SourceUNVotes, r.RCID, c, date, r.Vote, r.Line, "country_code", r.raw)
}

// voter resolves the state of an unvotes vote: by ISO2, else (no ISO2, or an ISO2 the
// registry does not know) by name.
func (fi *fileImport) voter(r *VoteRow, date time.Time) (entente.Country, error) {
	if r.ISO2 == "" {
		return fi.res.resolve(kindName, r.Country, 0, date)
	}
	c, err := fi.res.resolve(kindISO2, r.ISO2, 0, date)
	if err == nil || r.Country == "" {
		return c, err
	}
	if c, err2 := fi.res.resolve(kindName, r.Country, 0, date); err2 == nil {
		return c, nil
	}
	return c, err
}

func (fi *fileImport) emitVote(source, rcid string, c entente.Country, date time.Time, v entente.VoteValue, line int, field string, raw []byte) error {
	if c.COW == 0 {
		fi.noCOW++
		return fi.refuse(line, field, raw, fmt.Errorf("%w: %s at %s has no COW number, which the vote signals are keyed by", entente.ErrUnknownState, c.ID, date.Format(time.DateOnly)))
	}
	return fi.w.Vote(entente.Vote{Source: source, RollCallID: rcid, CCode: c.COW, ISO3: c.ID, Value: v, Line: line})
}

// undl counts the row as one record (its roll call) plus one per non-empty state cell.
// A row of another council is one record, quarantined with its cells.
func (fi *fileImport) undl(r *UNDLRow) error {
	if r.Council != "General Assembly" {
		fi.otherCouncils[r.Council]++
		return fi.refuse(r.Line, "Council", r.raw, fmt.Errorf("not a General Assembly vote: %s", r.Council))
	}
	if err := fi.w.RollCall(r.RollCall); err != nil {
		return err
	}
	for _, v := range r.Votes {
		fi.read++
		c, err := fi.res.resolve(kindISO3, v.ISO3, 0, r.RollCall.Date)
		if err != nil {
			if err := fi.refuse(r.Line, v.ISO3, r.raw, err); err != nil {
				return err
			}
			continue
		}
		if err := fi.emitVote(entente.SourceUNDL, r.RollCall.ID, c, r.RollCall.Date, v.Value, r.Line, v.ISO3, r.raw); err != nil {
			return err
		}
	}
	return nil
}

func (fi *fileImport) notes() []string {
	notes := fi.res.notes()
	if fi.offDate > 0 {
		notes = append(notes, fmt.Sprintf("%d vote rows dated unlike most rows of their roll call: the roll call takes the date most of its rows give", fi.offDate))
	}
	if fi.noDate > 0 {
		notes = append(notes, fmt.Sprintf("%d votes quarantined: their roll call's date is unknown (import un_roll_calls.csv too)", fi.noDate))
	}
	if len(fi.otherCouncils) > 0 {
		n, s := tally(fi.otherCouncils)
		notes = append(notes, fmt.Sprintf("%d rows of other councils quarantined: %s", n, s))
	}
	if fi.noCOW > 0 {
		notes = append(notes, fmt.Sprintf("%d votes quarantined: state without a COW number", fi.noCOW))
	}
	return notes
}
