package aid

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// TrackerURL is the page of the Kiel Institute's Ukraine Support Tracker, cited by every
// aid record.
const TrackerURL = "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"

// Publisher is the tracker's publisher.
const Publisher = "Kiel Institute for the World Economy"

// ReleaseFile is the name of the release file that ships with the data explorer file.
const ReleaseFile = "kiel_ust_release_info.csv"

// Recipient is the recipient of every record of the tracker.
const Recipient = "UKR"

// Kinds are the aid kinds stored, in column order.
var Kinds = []string{"financial", "humanitarian", "military"}

// nonStates are the donor codes of the tracker that are not states, kept as they are
// (the bloc registry's code): their records stay out of every state dyad signal.
var nonStates = map[string]bool{"EU": true}

// tolerance is the largest difference, in EUR bn, between a total and the sum of its
// parts that counts as rounding.
const tolerance = 1e-5

// File is one data explorer file of an import: its path and, optionally, how to open
// it. A file is a few hundred kB: Import reads it once, whole (inputfile.ReadAll).
type File = inputfile.File

// Options tune an import.
type Options struct {
	// Release is the tracker release of the files; nil reads ReleaseFile from each
	// file's folder.
	Release *Release
}

// Result accounts for one file (inputfile.Result: Read counts three aid records per
// row, one quarantined record per refused row) and names the release of its records.
type Result struct {
	inputfile.Result
	Release Release
}

// Citation returns the citation of the records of a release.
func (r Release) Citation() entente.Citation {
	return entente.Citation{
		URL:       TrackerURL,
		Title:     fmt.Sprintf("Ukraine Support Tracker, release %d", r.Number),
		Publisher: Publisher,
		Published: r.Date,
	}
}

// Import reads data explorer files into w, each between StartFile and FinishFile. Each
// row gives one aid record per kind (financial, humanitarian, military; zeros kept),
// from the donor (resolved through countries by its ISO code at the month; "EU" is kept
// as the bloc code EU) to Ukraine, cited to the release. A row whose donor is neither a
// state at the month nor a known non-state donor is quarantined; so are rows that
// cannot be parsed. Whole-file faults (missing file, no release, unknown header) stop
// the import with an error.
func Import(ctx context.Context, w entente.EventWriter, countries entente.CountryService, files []File, opt Options) ([]Result, error) {
	return inputfile.Each(ctx, "aid", files, func(f File) (Result, error) { return importFile(ctx, w, countries, f, opt) })
}

// LoadRelease reads a release file. A missing or unreadable one is bad input
// (entente.EINVALID), named.
func LoadRelease(path string) (Release, error) { return loadRelease(context.Background(), path) }

func loadRelease(ctx context.Context, path string) (Release, error) {
	b, _, err := inputfile.ReadAll(ctx, inputfile.File{Path: path})
	if err != nil {
		return Release{}, err
	}
	return ReadRelease(bytes.NewReader(b), path)
}

func importFile(ctx context.Context, w entente.EventWriter, countries entente.CountryService, f File, opt Options) (Result, error) {
	b, sum, err := inputfile.ReadAll(ctx, f) // read once, hashed and parsed from memory
	if err != nil {
		return Result{}, err
	}
	rel := opt.Release
	if rel == nil {
		p := filepath.Join(filepath.Dir(f.Path), ReleaseFile)
		r, err := loadRelease(ctx, p)
		if err != nil {
			return Result{}, fmt.Errorf("no release for the records (give it, or keep %s next to the file): %w", ReleaseFile, err)
		}
		rel = &r
	}
	info := entente.ImportFile{Source: entente.SourceKiel, Path: f.Path, SHA256: sum, Size: int64(len(b))}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	m := &mapper{ctx: ctx, w: w, countries: countries, info: info, cite: rel.Citation(), nonState: map[string]int{}, notState: map[string]int{}}
	if _, err := Read(bytes.NewReader(b), f.Path, m.row); err != nil {
		return Result{}, err
	}
	notes := m.notes()
	if err := w.FinishFile(m.read, notes); err != nil {
		return Result{}, err
	}
	return Result{Result: inputfile.Result{File: info, Read: m.read, Notes: notes}, Release: *rel}, nil
}

type mapper struct {
	ctx       context.Context
	w         entente.EventWriter
	countries entente.CountryService
	info      entente.ImportFile
	cite      entente.Citation
	read      int64

	rows               int
	nonState, notState map[string]int // donor name (code) → rows
	offTotal           int            // rows whose total is not the sum of the kinds
	offCommit          int            // rows whose commitments are not total + to_be_allocated
	allocated, tba     float64
}

func (m *mapper) quarantine(pe *entente.ParseError, raw string) error {
	m.read++
	return m.w.Quarantine(entente.Quarantined{Source: m.info.Source, File: m.info.Path, SHA256: m.info.SHA256,
		Line: pe.Line, Field: pe.Field, Reason: pe.Error(), Raw: raw})
}

func (m *mapper) row(row Row) error {
	if err := m.ctx.Err(); err != nil {
		return err
	}
	var r *Record
	switch row := row.(type) {
	case *BadRow:
		return m.quarantine(row.Err, row.Raw)
	case *Record:
		r = row
	default:
		panic(fmt.Sprintf("BUG: aid: row of type %T", row))
	}
	donor := r.ISO
	name := fmt.Sprintf("%s (%s)", r.Country, r.ISO)
	if nonStates[donor] {
		m.nonState[name]++
	} else if c, ok := m.countries.ByISO3(r.ISO, r.Month); ok {
		donor = c.ID
	} else {
		m.notState[name]++
		return m.quarantine(&entente.ParseError{File: m.info.Path, Line: r.Line, Field: "iso",
			Err: fmt.Errorf("%w: %s is not a state in %s", entente.ErrUnknownState, name, r.Month.Format("2006-01"))}, r.Raw)
	}
	m.rows++
	if math.Abs(r.Total-(r.Financial+r.Humanitarian+r.Military)) > tolerance {
		m.offTotal++
	}
	if math.Abs(r.Commitments-(r.Total+r.ToBeAllocated)) > tolerance {
		m.offCommit++
	}
	m.allocated += r.Financial + r.Humanitarian + r.Military
	m.tba += r.ToBeAllocated
	for i, v := range [3]float64{r.Financial, r.Humanitarian, r.Military} {
		m.read++
		if err := m.w.Aid(entente.Aid{Donor: donor, Recipient: Recipient, Month: r.Month, Kind: Kinds[i], EURbn: v, Line: r.Line, Cite: m.cite}); err != nil {
			return err
		}
	}
	return nil
}

func (m *mapper) notes() []string {
	notes := []string{fmt.Sprintf("%d rows → %d aid records (financial, humanitarian, military: EUR %.3f bn allocated); total, commitments and to_be_allocated (EUR %.3f bn committed, not yet allocated) are not stored: no double counting",
		m.rows, 3*m.rows, m.allocated, m.tba)}
	if len(m.nonState) > 0 {
		notes = append(notes, "donors that are not states, kept under their code and outside the state dyad signals: "+tally(m.nonState))
	}
	if len(m.notState) > 0 {
		notes = append(notes, "rows quarantined, donor not a state at the month: "+tally(m.notState))
	}
	if m.offTotal > 0 {
		notes = append(notes, fmt.Sprintf("%d rows whose total differs from financial + humanitarian + military by more than EUR %g bn: the kinds are kept", m.offTotal, tolerance))
	}
	if m.offCommit > 0 {
		notes = append(notes, fmt.Sprintf("%d rows whose commitments differ from total + to_be_allocated by more than EUR %g bn", m.offCommit, tolerance))
	}
	return notes
}

func tally(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d rows", k, m[k])
	}
	return strings.Join(parts, ", ")
}
