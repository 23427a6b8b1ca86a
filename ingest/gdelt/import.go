package gdelt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// This file is the mapping layer: typed rows from Read into entente facts through an
// entente.EventWriter (docs/events.md).

// File is one input file of an import: a plain GDELT file or a .zip as upstream ships
// them (see Open). Import reads each file twice: a first pass hashes its bytes and finds
// its layout, the second reads it (and, for plain files, checks the digest again).
type File struct {
	// Path names the file in reports and quarantine records, as the user gave it.
	Path string
}

// Options tune an import. The zero value is valid.
type Options struct {
	// Progress, if set, is called with each file's bytes read so far (uncompressed), at
	// most every 100 ms and once when the file is done.
	Progress func(file string, bytesDone, bytesTotal int64)
}

// Result accounts for one file of an import (inputfile.Result: Read counts events,
// mentions and quarantined rows; the header row some copies carry and blank lines are
// not records, and Notes say when there were any) and names its layout.
type Result struct {
	inputfile.Result
	Layout Layout
}

// Source returns the entente source of a layout: SourceGDELT2 for the 2.0 export and
// mentions, SourceGDELT1 for 1.0 events.
func (l Layout) Source() string {
	if l == LayoutV1Events {
		return entente.SourceGDELT1
	}
	return entente.SourceGDELT2
}

// cameoStates maps the CAMEO country codes of states that differ from the ISO 3166
// alpha-3 code the registry knows them by (CAMEO codebook, country codes).
var cameoStates = map[string]string{
	"TMP": "TLS", // East Timor
	"KSV": "XKX", // Kosovo
	"ROM": "ROU", // Romania
}

// Import reads files into w, in the order given, each between w.StartFile and
// w.FinishFile. Event actors are resolved to states through countries at the event's
// day (Actor1CountryCode and Actor2CountryCode are CAMEO country codes, ISO alpha-3 for
// states; a code that is not a state then, such as a region "AFR" or "WST", leaves the
// actor's state empty and the event is kept). Bad rows are quarantined with file, line,
// field and reason, and the import goes on; a file-level fault (missing or unreadable
// file, empty file or one with only a header row, a .zip that is not a zip archive or
// is a zip bomb), an error of w or a cancelled ctx stops it with an error, and the
// caller's store then drops the whole import.
//
// Typical wiring, in cmd/entente:
//
//	reports, err := store.ImportEvents(ctx, func(w entente.EventWriter) error {
//		_, err := gdelt.Import(ctx, w, registry, files, gdelt.Options{})
//		return err
//	})
func Import(ctx context.Context, w entente.EventWriter, countries entente.CountryService, files []File, opt Options) ([]Result, error) {
	plans := make([]*plan, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := survey(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("import gdelt: %w", err)
		}
		plans = append(plans, p)
	}
	res := newResolver(countries)
	results := make([]Result, 0, len(plans))
	for _, p := range plans {
		r, err := p.run(ctx, w, res, opt)
		if err != nil {
			return results, fmt.Errorf("import gdelt %s: %w", p.file.Path, err)
		}
		results = append(results, r)
	}
	return results, nil
}

// errHeaderOnly is a file that holds a header row and no record: empty
// (errors.Is(err, entente.ErrEmpty)), and said so.
type errHeaderOnly struct{}

func (errHeaderOnly) Error() string        { return "only a header line, no records" }
func (errHeaderOnly) Is(target error) bool { return target == entente.ErrEmpty }

// plan is a file after the first pass.
type plan struct {
	file   File
	info   entente.ImportFile
	layout Layout
	zipped bool
	total  int64  // uncompressed size, for progress
	read   Layout // the layout read from the lines, LayoutUnknown if none told it
}

// errStop ends a first-pass Read at the first good row.
var errStop = errors.New("stop")

// survey is the first pass over a file: digest and size of its bytes, its layout.
func survey(ctx context.Context, f File) (*plan, error) {
	p := &plan{file: f, zipped: strings.EqualFold(fileExt(f.Path), ".zip")}
	sum, size, err := inputfile.Digest(ctx, inputfile.File{Path: f.Path})
	if err != nil {
		return nil, err
	}
	p.total = size
	rc, err := OpenContext(ctx, f.Path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if zf, ok := rc.(*zipFile); ok {
		p.total = 0
		if m := zf.member(); m != nil {
			p.total = int64(m.UncompressedSize64)
		}
	}
	var st Stats
	p.layout, st, err = Read(rc, f.Path, func(r Row) error {
		if _, bad := r.(*BadRow); bad {
			return nil // the layout may not be known yet: go on until a good row tells
		}
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if err == nil && st.Rows+st.Bad == 0 {
		// Read found the header row some copies carry and nothing else: no record to
		// import, as in an empty file.
		return nil, &entente.ParseError{File: f.Path, Line: st.HeaderLine, Err: errHeaderOnly{}}
	}
	p.read = p.layout
	if p.layout == LayoutUnknown {
		p.layout = DetectName(f.Path)
	}
	p.info = entente.ImportFile{Source: p.layout.Source(), Path: f.Path, SHA256: sum, Size: size}
	return p, nil
}

func (p *plan) run(ctx context.Context, w entente.EventWriter, res *resolver, opt Options) (Result, error) {
	if err := w.StartFile(p.info); err != nil {
		return Result{}, err
	}
	// A zip's digest is of its compressed bytes; only a plain file is checked again.
	var src io.ReadCloser
	var tee *inputfile.Reader
	var err error
	if p.zipped {
		src, err = OpenContext(ctx, p.file.Path)
	} else {
		tee, err = inputfile.Reopen(ctx, inputfile.File{Path: p.file.Path}, p.info.SHA256)
		src = tee
	}
	if err != nil {
		return Result{}, err
	}
	defer src.Close()
	pr := inputfile.NewProgress(src, p.file.Path, p.total, opt.Progress)
	fi := &fileImport{ctx: ctx, w: w, res: res, plan: p, notStates: map[string]int{}}
	layout, st, err := Read(pr, p.file.Path, fi.row)
	if err != nil {
		return Result{}, err
	}
	if layout != p.read {
		return Result{}, entente.Errorf(entente.ECONFLICT, "%s changed while being imported (read as %s, then %s)", p.file.Path, p.read, layout)
	}
	if layout == LayoutUnknown {
		layout = p.layout // from the name, as the first pass
	}
	if !p.zipped {
		if _, err := io.Copy(io.Discard, pr); err != nil { // the rest, counted as progress
			return Result{}, fmt.Errorf("read %s: %w", p.file.Path, err)
		}
		if err := tee.Check(); err != nil {
			return Result{}, err
		}
	}
	pr.Done()
	notes := fi.notes(st)
	if err := w.FinishFile(fi.read, notes); err != nil {
		return Result{}, err
	}
	return Result{Result: inputfile.Result{File: p.info, Read: fi.read, Notes: notes}, Layout: layout}, nil
}

// resolver turns CAMEO country codes into registry IDs at a day, remembering answers:
// a file holds a handful of days and a few hundred codes.
type resolver struct {
	countries entente.CountryService
	cache     map[resolveKey]string
}

type resolveKey struct {
	code string
	day  time.Time
}

// notAState marks, in the cache, a code that is not a state at the day.
const notAState = "\x00"

func newResolver(countries entente.CountryService) *resolver {
	return &resolver{countries: countries, cache: map[resolveKey]string{}}
}

// state returns the registry ID of the state with CAMEO country code code at day, and
// whether there is one.
func (r *resolver) state(code string, day time.Time) (string, bool) {
	k := resolveKey{code, day}
	id, ok := r.cache[k]
	if !ok {
		iso := code
		if alt, ok := cameoStates[code]; ok {
			iso = alt
		}
		id = notAState
		if c, ok := r.countries.ByISO3(iso, day); ok {
			id = c.ID
		} else if c, ok := r.countries.ByISO3(iso, time.Time{}); ok && c.COW != 0 {
			// CAMEO codes a state by its present code in back-files too: RUS in 1982 is
			// the USSR, the spell that held Russia's COW number then.
			if p, ok := r.countries.ByCOW(c.COW, day); ok {
				id = p.ID
			}
		}
		if len(r.cache) >= 1<<16 {
			clear(r.cache)
		}
		r.cache[k] = id
	}
	return id, id != notAState
}

// fileImport maps the rows of one file into the writer.
type fileImport struct {
	ctx  context.Context
	w    entente.EventWriter
	res  *resolver
	plan *plan
	read int64

	events, mentions int64
	noCode           [2]int64 // events whose actor 1 / 2 has no country code
	notState         [2]int64 // events whose actor 1 / 2 has a code that is not a state then
	notStates        map[string]int
	noURL            int64 // mentions without an identifier, quarantined
}

func (fi *fileImport) row(row Row) error {
	fi.read++
	if fi.read%8192 == 0 {
		if err := fi.ctx.Err(); err != nil {
			return err
		}
	}
	switch r := row.(type) {
	case *Event:
		return fi.event(r)
	case *Mention:
		return fi.mention(r)
	case *BadRow:
		return fi.w.Quarantine(fi.quarantined(r.Err, r.Raw))
	}
	panic(fmt.Sprintf("BUG: gdelt: row of type %T", row))
}

func (fi *fileImport) quarantined(pe *entente.ParseError, raw string) entente.Quarantined {
	return entente.Quarantined{
		Source: fi.plan.info.Source, File: fi.plan.info.Path, SHA256: fi.plan.info.SHA256,
		Line: pe.Line, Field: pe.Field, Reason: pe.Error(), Raw: raw,
	}
}

// actor returns the state of one side of an event, counting the ones without.
func (fi *fileImport) actor(side int, code string, day time.Time) string {
	if code == "" {
		fi.noCode[side]++
		return ""
	}
	id, ok := fi.res.state(code, day)
	if !ok {
		fi.notState[side]++
		fi.notStates[code]++
		return ""
	}
	return id
}

func (fi *fileImport) event(r *Event) error {
	fi.events++
	return fi.w.Event(entente.Event{
		Source:      fi.plan.info.Source,
		ID:          r.GlobalEventID,
		Day:         r.Day,
		DateAdded:   r.DateAdded,
		Actor1:      fi.actor(0, r.Actor1CountryCode, r.Day),
		Actor2:      fi.actor(1, r.Actor2CountryCode, r.Day),
		Actor1Code:  r.Actor1Code,
		Actor2Code:  r.Actor2Code,
		EventCode:   r.EventCode,
		RootCode:    r.EventRootCode,
		Quad:        r.QuadClass,
		Goldstein:   r.Goldstein,
		NumMentions: r.NumMentions,
		NumSources:  r.NumSources,
		NumArticles: r.NumArticles,
		AvgTone:     r.AvgTone,
		URL:         r.SourceURL,
		Line:        r.Line,
	})
}

func (fi *fileImport) mention(r *Mention) error {
	if r.MentionIdentifier == "" {
		fi.noURL++
		pe := &entente.ParseError{File: fi.plan.info.Path, Line: r.Line, Field: "MentionIdentifier",
			Err: fmt.Errorf("mention of event %d has no identifier (URL): nothing to cite", r.GlobalEventID)}
		return fi.w.Quarantine(fi.quarantined(pe, ""))
	}
	fi.mentions++
	return fi.w.Mention(entente.Mention{
		EventID:      r.GlobalEventID,
		EventTime:    r.EventTimeDate,
		MentionTime:  r.MentionTimeDate,
		Type:         r.MentionType,
		SourceName:   r.MentionSourceName,
		URL:          r.MentionIdentifier,
		SentenceID:   r.SentenceID,
		Actor1Offset: r.Actor1CharOffset,
		Actor2Offset: r.Actor2CharOffset,
		ActionOffset: r.ActionCharOffset,
		Confidence:   r.Confidence,
		DocTone:      r.MentionDocTone,
		Line:         r.Line,
	})
}

func (fi *fileImport) notes(st Stats) []string {
	notes := append([]string(nil), st.Notes...)
	if st.HeaderLine > 0 {
		notes = append(notes, fmt.Sprintf("line %d is a header row (real GDELT files have none): skipped, not a record", st.HeaderLine))
	}
	if st.Blank > 0 {
		notes = append(notes, fmt.Sprintf("%d blank lines skipped", st.Blank))
	}
	if st.NoFinalNewline {
		notes = append(notes, "the last line has no newline: the file may be cut")
	}
	if st.V1Daily > 0 && st.V1Back > 0 {
		notes = append(notes, fmt.Sprintf("GDELT 1.0 rows of both kinds: %d daily-file rows (58 fields) and %d back-file rows (57 fields, no URL)", st.V1Daily, st.V1Back))
	}
	if fi.events > 0 {
		for side := range 2 {
			if n := fi.noCode[side] + fi.notState[side]; n > 0 {
				notes = append(notes, fmt.Sprintf("%d of %d events have no state as actor %d (%d without a country code, %d with a code that is not a state at the event's day): kept, outside the dyad signals",
					n, fi.events, side+1, fi.noCode[side], fi.notState[side]))
			}
		}
		if len(fi.notStates) > 0 {
			notes = append(notes, "country codes that are not states (events, most frequent first): "+topCodes(fi.notStates, 10))
		}
	}
	if fi.noURL > 0 {
		notes = append(notes, fmt.Sprintf("%d mentions quarantined: no identifier (URL)", fi.noURL))
	}
	return notes
}

// topCodes lists the n most frequent codes of m as "AFR 72, EUR 143, ..." by count,
// then code, and says how many more there are.
func topCodes(m map[string]int, n int) string {
	codes := make([]string, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if m[codes[i]] != m[codes[j]] {
			return m[codes[i]] > m[codes[j]]
		}
		return codes[i] < codes[j]
	})
	var b strings.Builder
	for i, c := range codes {
		if i == n {
			fmt.Fprintf(&b, " and %d more", len(codes)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", c, m[c])
	}
	return b.String()
}
