package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/index"
	"github.com/entente/entente/ingest/ledger"
	"github.com/entente/entente/read"
)

func init() {
	commands = append(commands, &command{
		name:    "read",
		summary: "acts between states asserted in an article, checked against the store",
		usage: `Usage:
  entente read FILE|- [--date DATE] [--url URL] [--all] [--format table|csv|json|yaml]

Reads a news or opinion text (plain text or HTML; - reads standard input), finds the acts
between states it asserts, plans, doubts or denies, and checks each against the store:
  supported     a ledger act, a membership or the bloc registry states the same act
                (same pair and kind, a compatible date): shown in evidence
  contradicted  the store holds the same pair and kind at another date, or the opposite
                act (sanctions_refusal for sanctions; the other stance): shown in evidence
  unknown       nothing in the store bears on it
  unchecked     there is no store (entente import ... makes one)
Columns: sentence, actor, counterpart, kind (ledger vocabulary), plover (PLOVER event
type), date, precision (day, month, year or unknown), modality (asserted, intended,
hedged, negated), confidence, status, evidence, pattern (the rule that fired) and
quote. Relative dates ("last year", "on Tuesday") need --date, the article's date.
By default only acts of the ledger vocabulary with a counterpart are shown, denied
ones left out; --all shows every coded event (PLOVER types, domestic events, denials).

--format yaml writes ledger drafts of the asserted acts (docs/ledger.md) for a person to
check: each cites --url with the sentence as its quote and checked: false. Drafts pass
'entente ledger check' once every act has a source with a url (or title, publisher and
date); set checked: true only after reading the source. docs/read.md describes the coder.

Examples:
  entente read article.txt --date 2025-03-27
  curl -s https://example.org/story | entente read - --url https://example.org/story --format yaml > drafts.yaml
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			date := fs.String("date", "", "the article's date, YYYY-MM-DD (anchors \"last year\", \"on Tuesday\")")
			url := fs.String("url", "", "the article's address, cited by the drafts")
			all := fs.Bool("all", false, "show every coded event: PLOVER types, domestic events, denials")
			yaml := false
			if f := fs.Lookup("format"); f != nil {
				f.Value = &yamlFormat{inner: f.Value, yaml: &yaml}
				f.Usage = "output format: table, csv, json or yaml (ledger drafts)"
			}
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usagef("want one FILE, or - for standard input")
				}
				return a.read(ctx, args[0], readOptions{date: *date, url: *url, all: *all, yaml: yaml})
			}
		},
	})
}

// yamlFormat lets --format take "yaml" for this command only: the global flag accepts
// table, csv and json, so yaml is recorded here and the global value left as table.
type yamlFormat struct {
	inner flag.Value
	yaml  *bool
}

func (f *yamlFormat) String() string {
	if f.inner == nil {
		return ""
	}
	return f.inner.String()
}

func (f *yamlFormat) Set(s string) error {
	*f.yaml = s == "yaml"
	if *f.yaml {
		s = "table"
	}
	return f.inner.Set(s)
}

type readOptions struct {
	date, url string
	all, yaml bool
}

// maxReadInput bounds the input; coding is linear, so the bound is about memory.
const maxReadInput = 256 << 20

var readColumns = []string{"sentence", "actor", "counterpart", "kind", "plover", "date", "precision", "date_from", "modality", "confidence", "status", "evidence", "pattern", "quote"}

// dateFrom says where an act's date comes from: the sentence, the article's date
// (relative dates), an earlier sentence, or nowhere.
func dateFrom(d read.Date) string {
	switch {
	case d.Precision == read.PrecisionUnknown:
		return "none"
	case d.Inherited:
		return "earlier_sentence"
	case d.Relative:
		return "article_date"
	}
	return "sentence"
}

func (a *app) read(ctx context.Context, path string, o readOptions) error {
	var at time.Time
	if o.date != "" {
		d, err := entente.ParseDateSpec(o.date)
		if err != nil {
			return usagef("--date: %s", err)
		}
		at = d.Start
	}
	data, err := readInput(path)
	if err != nil {
		return err
	}
	text, err := read.Prepare(data)
	if err != nil {
		return entente.Errorf(entente.EINVALID, "read %s: %v", displayName(path), err)
	}
	if !utf8.Valid(data) {
		a.note("%s: invalid UTF-8 sequences replaced", displayName(path))
	}
	acts := read.Default().Read(text, read.Options{Date: at, All: o.all})
	if !o.all {
		acts = ledgerActs(acts)
	}
	if o.yaml {
		return a.writeDrafts(acts, at, o.url, path)
	}
	checker, err := a.newActChecker(ctx)
	if err != nil {
		return err
	}
	if checker.st != nil {
		defer checker.st.Close()
	}
	w := a.newRowWriter(readColumns)
	for _, act := range acts {
		status, evidence := "unchecked", ""
		if checker.st != nil {
			if status, evidence, err = checker.check(ctx, act); err != nil {
				return err
			}
		}
		quote := act.Quote
		if a.format == "table" {
			quote = clip(quote, 80)
		}
		if err := w.Row(act.Sentence+1, act.Actor, orDash(act.Counterpart), orDash(act.Kind), orDash(act.Plover),
			dateOf(act.Date), act.Date.Precision.String(), dateFrom(act.Date), act.Modality, act.Confidence, status, evidence, act.Pattern, quote); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	a.note("%d acts in %s", len(acts), displayName(path))
	return nil
}

// ledgerActs keeps the acts of the ledger vocabulary with a counterpart.
func ledgerActs(acts []read.Act) []read.Act {
	out := acts[:0]
	for _, a := range acts {
		if a.Kind != "" && a.Counterpart != "" && a.Modality != read.Negated {
			out = append(out, a)
		}
	}
	return out
}

func readInput(path string) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, entente.Errorf(entente.EINVALID, "read: %v", err)
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return nil, entente.Errorf(entente.EINVALID, "read: %s is a folder; give a file", path)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxReadInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", displayName(path), err)
	}
	if len(data) > maxReadInput {
		return nil, entente.Errorf(entente.EINVALID, "read %s: larger than %d MB; split it", displayName(path), maxReadInput>>20)
	}
	return data, nil
}

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

func orDash(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateOf(d read.Date) any {
	switch d.Precision {
	case entente.PrecisionDay:
		return d.Start.Format(time.DateOnly)
	case entente.PrecisionMonth:
		return d.Start.Format("2006-01")
	case entente.PrecisionYear:
		if y := d.End.AddDate(0, 0, -1).Year(); y != d.Start.Year() {
			return fmt.Sprintf("%d..%d", d.Start.Year(), y)
		}
		return d.Start.Format("2006")
	}
	return nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// actChecker compares read acts with the store's ledger acts and memberships and with
// the bloc registry. st is nil when there is no store.
type actChecker struct {
	st    entente.Store
	cache map[[2]string][]entente.Act
}

func (a *app) newActChecker(ctx context.Context) (*actChecker, error) {
	st, err := a.openExistingStore(ctx)
	if err != nil {
		if entente.ErrorCode(err) == entente.ENOTFOUND {
			a.note("no store: every act is unchecked (%v)", err)
			return &actChecker{}, nil
		}
		return nil, err
	}
	return &actChecker{st: st, cache: map[[2]string][]entente.Act{}}, nil
}

// symmetricKinds hold between the parties whichever of them the ledger lists first.
var symmetricKinds = map[string]bool{
	"alliance_treaty": true, "strategic_partnership": true, "military_cooperation_agreement": true,
	"economic_agreement": true, "diplomatic_break": true,
}

// oppositeKinds contradict each other for the same pair.
var oppositeKinds = map[string]string{"sanctions": "sanctions_refusal", "sanctions_refusal": "sanctions"}

func (c *actChecker) check(ctx context.Context, act read.Act) (status, evidence string, err error) {
	if act.Kind == "" || act.Counterpart == "" {
		return "unknown", "", nil
	}
	key := [2]string{act.Actor, act.Counterpart}
	stored, ok := c.cache[key]
	if !ok {
		stored, err = c.st.Acts(ctx, entente.ActQuery{Either: act.Actor, Other: act.Counterpart})
		if err != nil {
			return "", "", err
		}
		c.cache[key] = stored
	}
	var sameKind, opposite []entente.Act
	for _, s := range stored {
		direct := s.Actor == act.Actor && s.Counterpart == act.Counterpart
		if !direct && !(symmetricKinds[act.Kind] && s.Actor == act.Counterpart && s.Counterpart == act.Actor) {
			continue
		}
		switch {
		case s.Kind == act.Kind && s.Stance == act.Stance:
			sameKind = append(sameKind, s)
		case s.Kind == act.Kind || s.Kind == oppositeKinds[act.Kind]:
			opposite = append(opposite, s)
		}
	}
	for _, s := range sameKind {
		if datesAgree(act.Date, s) {
			return "supported", describeAct(s), nil
		}
	}
	for _, s := range opposite {
		if datesAgree(act.Date, s) {
			return "contradicted", "opposite: " + describeAct(s), nil
		}
	}
	if st, ev := checkBloc(act); st != "" {
		return st, ev, nil
	}
	if len(sameKind) > 0 {
		return "contradicted", "other date: " + describeAct(sameKind[0]), nil
	}
	return "unknown", "", nil
}

// datesAgree: the read date and the stored act's [Date, End or the end of its
// precision] overlap; an unknown read date agrees with any.
func datesAgree(d read.Date, s entente.Act) bool {
	if d.Precision == read.PrecisionUnknown {
		return true
	}
	start := s.Date
	var end time.Time
	switch s.Precision {
	case entente.PrecisionYear:
		end = start.AddDate(1, 0, 0)
	case entente.PrecisionMonth:
		end = start.AddDate(0, 1, 0)
	default:
		end = start.AddDate(0, 0, 1)
	}
	if !s.End.IsZero() && s.End.After(end) {
		end = s.End.AddDate(0, 0, 1)
	}
	return d.Start.Before(end) && start.Before(d.End)
}

func describeAct(s entente.Act) string {
	src := ""
	if len(s.Sources) > 0 {
		c := s.Sources[0]
		src = c.URL
		if src == "" {
			src = strings.TrimSpace(c.Title + ", " + c.Publisher)
		}
	}
	return fmt.Sprintf("ledger %s: %s %s %s->%s %s", s.ID, index.FormatAt(s.Date, s.Precision), s.Kind, s.Actor, s.Counterpart, src)
}

// checkBloc checks membership acts against the embedded bloc registry.
func checkBloc(act read.Act) (status, evidence string) {
	reg := bloc.Default()
	if !reg.Known(act.Counterpart) {
		return "", ""
	}
	var spells []bloc.Membership
	for _, m := range reg.All() {
		if m.State == act.Actor && m.Bloc == act.Counterpart {
			spells = append(spells, m)
		}
	}
	if len(spells) == 0 {
		return "", ""
	}
	var edge func(m bloc.Membership) (time.Time, bool)
	switch act.Kind {
	case "membership_join":
		edge = func(m bloc.Membership) (time.Time, bool) { return m.From, m.Status == bloc.StatusMember }
	case "membership_leave":
		edge = func(m bloc.Membership) (time.Time, bool) {
			return m.Until, !m.Until.IsZero() && m.Status == bloc.StatusMember
		}
	case "membership_suspend":
		edge = func(m bloc.Membership) (time.Time, bool) {
			return m.From, m.Status == bloc.StatusFrozen || m.Status == bloc.StatusSuspended
		}
	default:
		return "", ""
	}
	var near string
	for _, m := range spells {
		t, ok := edge(m)
		if !ok {
			continue
		}
		desc := fmt.Sprintf("bloc registry: %s %s %s from %s", m.State, m.Bloc, m.Status, index.FormatAt(m.From, m.Precision))
		if !m.Until.IsZero() {
			desc += " until " + m.Until.Format(time.DateOnly)
		}
		if act.Date.Precision == read.PrecisionUnknown || (!t.Before(act.Date.Start.AddDate(0, 0, -1)) && t.Before(act.Date.End.AddDate(0, 0, 1))) {
			return "supported", desc
		}
		near = desc
	}
	if near != "" {
		return "contradicted", "other date: " + near
	}
	return "", ""
}

// writeDrafts writes the asserted acts as ledger drafts.
func (a *app) writeDrafts(acts []read.Act, at time.Time, url, path string) error {
	var drafts []ledger.Act
	ids := map[string]int{}
	for _, act := range acts {
		if act.Kind == "" || act.Counterpart == "" || act.Modality != read.Asserted {
			continue
		}
		date, prec, note := act.Date.Start, act.Date.Precision, ""
		if prec == read.PrecisionUnknown {
			if at.IsZero() {
				a.note("sentence %d: %s %s->%s has no date and no --date: left out", act.Sentence+1, act.Kind, act.Actor, act.Counterpart)
				continue
			}
			date, prec, note = entente.Day(at.Year(), 1, 1), entente.PrecisionYear, " (no date in the sentence: the article's year)"
		}
		id := strings.ToLower(fmt.Sprintf("%s-%s-%s-%s", index.FormatAt(date, prec), act.Actor, act.Counterpart, strings.ReplaceAll(act.Kind, "_", "-")))
		if n := ids[id]; n > 0 {
			ids[id]++
			id = fmt.Sprintf("%s-%d", id, n+1)
		} else {
			ids[id] = 1
		}
		src := entente.Citation{URL: url, Published: at, Quote: act.Quote}
		drafts = append(drafts, ledger.Act{Act: entente.Act{
			ID: id, Date: date, Precision: prec, Actor: act.Actor, Counterpart: act.Counterpart,
			Kind: act.Kind, Stance: act.Stance,
			Summary: fmt.Sprintf("Draft read by entente (%s, confidence %.2f)%s: %s", act.Pattern, act.Confidence, note, clip(act.Quote, 300)),
			Sources: []entente.Citation{src},
		}})
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Ledger drafts read by entente from %s. Check each act against its source,\n", displayName(path))
	buf.WriteString("# give every source a url (or title, publisher and published), set checked: true only\n")
	buf.WriteString("# after reading it, then run: entente ledger check FILE\n")
	if len(drafts) == 0 {
		buf.WriteString("[]\n")
	} else if err := ledger.Write(&buf, drafts); err != nil {
		return err
	}
	_, err := a.stdout.Write(buf.Bytes())
	a.note("%d drafts", len(drafts))
	return err
}
