// Package unvotes reads UN General Assembly roll-call vote files into entente facts.
//
// Three layouts, told apart by their header line (Detect):
//
//   - Voeten's long file (voeten_votes_1946_2024.csv): resid, ccode, date, year, vote,
//     one row per state and roll call. Votes 1 yes, 2 abstain, 3 no, 8 absent, 9
//     non-member. The roll call ID is resid and its session resid/1000; each row implies
//     its roll call (VoteWriter.ImpliedRollCall), dated by the date most of its rows give
//     (a few session-78 rows carry a neighbour's date; they are counted in the notes).
//     The year column is ignored: the source mislabels whole sessions.
//   - The unvotes R package: un_roll_calls.csv (roll calls with session, date,
//     resolution, title, important flag), un_votes.csv (rcid, country, ISO2 code,
//     yes/abstain/no) and un_roll_call_issues.csv (rcid, issue code). A vote takes its
//     date from its roll call: from un_roll_calls.csv in the same import (Import reads
//     roll-call files first) or from Options.KnownDates (the store's).
//   - The UN Digital Library wide file (un_votes_2025_processed.csv): one row per
//     resolution, one column per ISO3 code holding YES, NO, ABSTAIN or nothing (absent
//     or not a member: no record). Only General Assembly rows are imported; rows of
//     other councils are quarantined. The roll call ID is the library's record number,
//     the session comes from the symbol (A/RES/79/269 → 79); emergency special session
//     symbols (A/RES/ES-11/7) get session 0, unknown.
//
// # Records and accounting
//
// Each file is read between VoteWriter.StartFile and FinishFile, and FinishFile gets
// the number of records read, so the store's Imported + Quarantined + Duplicate equals
// it. A record is a vote row, a roll-call row or an issue row; in the wide layout, a row
// (its roll call) plus each non-empty state cell. A row that cannot be parsed, or a
// General Assembly cell with an unknown value, or a row of another council, is one record,
// quarantined with its file, line, field, reason and raw line (cut to 1,000 bytes).
// Nothing read is dropped without a record.
//
// Bad records do not stop an import: bad numbers, votes, dates, field counts, quoting,
// non-UTF-8 bytes, lines over 1 MiB or 2,000 fields, and a last line cut short
// (entente.ErrTruncated). An empty file, an unknown header or a header that is not
// UTF-8 stops it with a *entente.ParseError naming file and line.
//
// # States and succession
//
// States are resolved through an entente.CountryService at the vote's date: Voeten's
// COW number with ByCOW, unvotes' ISO2 with ByISO2 (ByName when the code is empty, as
// for the Yemen Arab Republic, West Germany and Zanzibar, or unknown), the wide file's
// ISO3 with ByISO3. The vote records the spell's COW number and ID.
//
// Succession rule: when a code has no spell at the vote's date (unvotes codes the USSR
// as RU and Serbia and Montenegro after 2003 as YU), the code's latest spell (looked up
// with a zero date) gives a COW number, and the spell of that COW number at the date is
// used (RU in 1980 → COW 365 → SUN). When the COW number has no spell at the date but
// one within 366 days (Voeten dates some votes by session start: Zanzibar, 511, votes on
// 1963-12-03, a week before its independence), the nearest spell is used. Both are
// counted in the file's notes. Otherwise the vote is quarantined as "unknown state
// <code> at <date>". A state without a COW number is quarantined too: the vote signals
// are keyed by it.
//
// Layers: a CSV scanner and per-layout parsers (Read, yielding typed rows or BadRows),
// then the mapping into facts (Import).
package unvotes
