package entente

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ImportLog is the bookkeeping every store's import writer shares: the files of one
// import in order, which one is open, the sequence number of each record (the first of
// repeated records is the one kept), and each file's Read, notes and times. Stores embed
// it in their VoteWriter, EventWriter and TieWriter so the rules of StartFile and
// FinishFile, of record validation (Record, RollCall), of the quarantine's raw lines and
// of the report accounting (Count, Accounted) are the same on every backend: a store
// adds only the SQL that stages, classifies and keeps the records. It is not safe for
// concurrent use.
type ImportLog struct {
	ctx     context.Context
	now     func() time.Time
	reports []ImportReport
	cur     int // index of the open file, -1 when none is open
	seq     int64
	staged  map[rollCallKey]bool // roll calls staged so far, so implied ones are staged once
	evDups  [][2]int64           // per file: duplicate events by repeated id, and near-duplicates
}

type rollCallKey struct{ source, id string }

// NewImportLog returns the log of an import that stops when ctx is done; now stamps the
// files' start and finish times.
func NewImportLog(ctx context.Context, now func() time.Time) ImportLog {
	return ImportLog{ctx: ctx, now: now, cur: -1, staged: map[rollCallKey]bool{}}
}

// StartFile begins a file: the records that follow belong to it.
func (l *ImportLog) StartFile(f ImportFile) error {
	if l.cur >= 0 {
		return Errorf(EINTERNAL, "import: StartFile %s before FinishFile of %s", f.Path, l.reports[l.cur].File.Path)
	}
	if err := l.ctx.Err(); err != nil {
		return err
	}
	l.reports = append(l.reports, ImportReport{File: f, Started: l.now()})
	l.evDups = append(l.evDups, [2]int64{})
	l.cur = len(l.reports) - 1
	return nil
}

// FinishFile ends the open file and records how many records were read from it.
func (l *ImportLog) FinishFile(read int64, notes []string) error {
	if l.cur < 0 {
		return Errorf(EINTERNAL, "import: FinishFile outside StartFile/FinishFile")
	}
	r := &l.reports[l.cur]
	r.Read, r.Notes, r.Finished = read, notes, l.now()
	l.cur = -1
	return l.ctx.Err()
}

// Next checks that a record (what: "Vote", "Event", ...) comes inside an open file and
// numbers it; now and then it checks that the import is still wanted.
func (l *ImportLog) Next(what string) error {
	if l.cur < 0 {
		return Errorf(EINTERNAL, "import: %s outside StartFile/FinishFile", what)
	}
	return l.Number()
}

// Record checks a counted record (what: "Vote", "Event", ...) as Next does and then
// returns invalid, the record's Validate() result: a store calls
// l.Record("Vote", v.Validate()) and stages the record only when it returns nil. (The
// result, not the record, is passed: boxing each record in an interface would cost an
// allocation per record of every import.)
func (l *ImportLog) Record(what string, invalid error) error {
	if err := l.Next(what); err != nil {
		return err
	}
	return invalid
}

// RecordJSON is Record for a record a store keeps whole as JSON (the force data): it
// checks the record as Record does and returns its JSON.
func (l *ImportLog) RecordJSON(what string, invalid error, v any) (string, error) {
	if err := l.Record(what, invalid); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("BUG: %s as JSON: %w", what, err)
	}
	return string(b), nil
}

// RollCall checks a roll call before the store stages it. One read as a record
// (counted) is numbered as Next does and always staged; one a vote row implies is
// numbered and staged only the first time the import sees its source and id, and stage
// is false after that.
func (l *ImportLog) RollCall(rc RollCall, counted bool) (stage bool, err error) {
	key := rollCallKey{rc.Source, rc.ID}
	if counted {
		err = l.Next("RollCall")
	} else if l.staged[key] {
		return false, nil
	} else {
		err = l.Number()
	}
	if err == nil {
		err = rc.Validate()
	}
	if err != nil {
		return false, err
	}
	l.staged[key] = true
	return true, nil
}

// Number numbers a record that may come outside a file (a roll call implied by votes).
func (l *ImportLog) Number() error {
	l.seq++
	if l.seq%4096 == 0 {
		return l.ctx.Err()
	}
	return nil
}

// File returns the ordinal of the open file in the import, -1 when none is open.
func (l *ImportLog) File() int { return l.cur }

// Seq returns the number of the last record.
func (l *ImportLog) Seq() int64 { return l.seq }

// Files returns how many files the import has started.
func (l *ImportLog) Files() int { return len(l.reports) }

// Finished checks that no file was left open.
func (l *ImportLog) Finished() error {
	if l.cur >= 0 {
		return Errorf(EINTERNAL, "import: file %s started but not finished", l.reports[l.cur].File.Path)
	}
	return nil
}

// Reports returns a copy of the files' reports: File, Read, Notes, Started and Finished
// set; the counts are the store's to fill.
func (l *ImportLog) Reports() []ImportReport {
	return append([]ImportReport(nil), l.reports...)
}

// Quarantine checks and numbers a refused record as Next does, and makes it what every
// store keeps: Source, File and SHA256 filled from the open file where they are empty,
// text fields valid UTF-8 (every store holds only that) and Raw cut with CutRawString.
func (l *ImportLog) Quarantine(q Quarantined) (Quarantined, error) {
	if err := l.Next("Quarantine"); err != nil {
		return q, err
	}
	f := l.reports[l.cur].File
	if q.Source == "" {
		q.Source = f.Source
	}
	if q.File == "" {
		q.File = f.Path
	}
	if q.SHA256 == "" {
		q.SHA256 = f.SHA256
	}
	q.File, q.Field, q.Reason = validUTF8(q.File), validUTF8(q.Field), validUTF8(q.Reason)
	q.Raw = CutRawString(q.Raw)
	return q, nil
}

func validUTF8(s string) string { return strings.ToValidUTF8(s, replacement) }

// Count adds a store's classification of staged records of file (its ordinal in the
// import) to the file's report.
func (l *ImportLog) Count(file int, imported, quarantined, duplicate int64) error {
	if file < 0 || file >= len(l.reports) {
		return Errorf(EINTERNAL, "BUG: staged record of file %d of %d", file, len(l.reports))
	}
	r := &l.reports[file]
	r.Imported += imported
	r.Quarantined += quarantined
	r.Duplicate += duplicate
	return nil
}

// CountEventDuplicates adds to file's duplicate events how many repeated an event id
// and how many were re-emitted near-duplicates (docs/events.md, "Dedupe"); Accounted
// notes them.
func (l *ImportLog) CountEventDuplicates(file int, ids, near int64) error {
	if file < 0 || file >= len(l.evDups) {
		return Errorf(EINTERNAL, "BUG: staged event of file %d of %d", file, len(l.evDups))
	}
	l.evDups[file][0] += ids
	l.evDups[file][1] += near
	return nil
}

// Accounted returns the files' reports with their counts and notes, once every record
// read is accounted for: Read = Imported + Quarantined + Duplicate in each. A store
// calls it after its last Count, before it writes the reports and commits.
func (l *ImportLog) Accounted() ([]ImportReport, error) {
	out := l.Reports()
	for i := range out {
		r := &out[i]
		if sum := r.Imported + r.Quarantined + r.Duplicate; r.Read != sum {
			return nil, Errorf(EINTERNAL, "import %s: read %d records but imported %d + quarantined %d + duplicate %d = %d",
				r.File.Path, r.Read, r.Imported, r.Quarantined, r.Duplicate, sum)
		}
		if d := l.evDups[i]; d[0]+d[1] > 0 {
			r.Notes = append(append([]string(nil), r.Notes...), fmt.Sprintf(
				"event duplicates: %d repeated event ids, %d re-emitted near-duplicates (same day, dyad, event code and URL)", d[0], d[1]))
		}
	}
	return out, nil
}
