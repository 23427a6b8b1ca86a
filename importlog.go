package entente

import (
	"context"
	"time"
)

// ImportLog is the bookkeeping every store's import writer shares: the files of one
// import in order, which one is open, the sequence number of each record (the first of
// repeated records is the one kept), and each file's Read, notes and times. Stores embed
// it in their VoteWriter, EventWriter and TieWriter so the rules of StartFile and
// FinishFile are the same on every backend. It is not safe for concurrent use.
type ImportLog struct {
	ctx     context.Context
	now     func() time.Time
	reports []ImportReport
	cur     int // index of the open file, -1 when none is open
	seq     int64
}

// NewImportLog returns the log of an import that stops when ctx is done; now stamps the
// files' start and finish times.
func NewImportLog(ctx context.Context, now func() time.Time) ImportLog {
	return ImportLog{ctx: ctx, now: now, cur: -1}
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

// Quarantine checks and numbers a refused record as Next does, and fills its Source,
// File and SHA256 from the open file where they are empty.
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
	return q, nil
}
