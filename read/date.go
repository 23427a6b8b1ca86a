package read

import (
	"strconv"
	"time"

	"github.com/entente/entente"
)

// PrecisionUnknown marks an act whose date the text does not give.
const PrecisionUnknown entente.Precision = 3

// Date is a date or period named in a sentence: [Start, End) at a precision. Relative
// dates ("last year", "on Tuesday") are resolved against the article's date and are
// left out when none is given.
type Date struct {
	Start, End time.Time
	Precision  entente.Precision
	Text       string // as written
	Relative   bool   // resolved against the article's date
	Inherited  bool   // the sentence gives none: the last date of an earlier sentence
	tok        int    // token index where it starts
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

// ParseDates returns the dates named in sentence s, in order, with relative ones
// resolved against anchor (zero: left out).
func ParseDates(s string, anchor time.Time) []Date {
	return parseDates(s, tokenize(s, nil), anchor, nil)
}

func year(t token) (int, bool) {
	if len(t.norm) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(t.norm)
	if err != nil || y < 1800 || y > 2199 {
		return 0, false
	}
	return y, true
}

func dayNum(t token) (int, bool) {
	n := t.norm
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if len(n) > 2 && n[len(n)-2:] == suf {
			n = n[:len(n)-2]
		}
	}
	if len(n) == 0 || len(n) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(n)
	if err != nil || d < 1 || d > 31 {
		return 0, false
	}
	return d, true
}

func validDay(y int, m time.Month, d int) (time.Time, bool) {
	t := entente.Day(y, m, d)
	return t, t.Day() == d && t.Month() == m
}

func parseDates(s string, toks []token, anchor time.Time, out []Date) []Date {
	out = out[:0]
	text := func(i, j int) string { return s[toks[i].start:toks[j-1].end] }
	add := func(i, j int, start, end time.Time, p entente.Precision, rel bool) {
		out = append(out, Date{Start: start, End: end, Precision: p, Text: text(i, j), Relative: rel, tok: i})
	}
	at := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].norm
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// 2024-06-19 (tokenized as three numbers joined by hyphens)
		if y, ok := year(t); ok && i+2 < len(toks) && len(toks[i+1].norm) == 2 && len(toks[i+2].norm) == 2 &&
			s[t.end] == '-' && toks[i+1].end < len(s) && s[toks[i+1].end] == '-' {
			m, e1 := strconv.Atoi(toks[i+1].norm)
			d, e2 := strconv.Atoi(toks[i+2].norm)
			if e1 == nil && e2 == nil && m >= 1 && m <= 12 {
				if day, ok := validDay(y, time.Month(m), d); ok {
					add(i, i+3, day, day.AddDate(0, 0, 1), entente.PrecisionDay, false)
					i += 2
					continue
				}
			}
		}
		// 19 June 2024; 19 June
		if d, ok := dayNum(t); ok {
			if m, ok := months[at(i+1)]; ok && len(at(i+1)) > 3 || ok && toks[i+1].cap {
				if y, ok := yearAt(toks, i+2); ok {
					if day, ok := validDay(y, m, d); ok {
						add(i, i+3, day, day.AddDate(0, 0, 1), entente.PrecisionDay, false)
						i += 2
						continue
					}
				} else if !anchor.IsZero() {
					if day, ok := validDay(anchorYear(anchor, m), m, d); ok {
						add(i, i+2, day, day.AddDate(0, 0, 1), entente.PrecisionDay, true)
						i++
						continue
					}
				}
			}
		}
		// June 19, 2024; June 2024; June 19; (last) June
		if m, ok := months[t.norm]; ok && t.cap && (t.norm != "may" || isNumber(at(i+1))) {
			if d, ok := dayNum(tokAt(toks, i+1)); ok {
				j := i + 2
				if at(j) == "," {
					j++
				}
				if y, ok := yearAt(toks, j); ok {
					if day, ok := validDay(y, m, d); ok {
						add(i, j+1, day, day.AddDate(0, 0, 1), entente.PrecisionDay, false)
						i = j
						continue
					}
				} else if !anchor.IsZero() {
					if day, ok := validDay(anchorYear(anchor, m), m, d); ok {
						add(i, i+2, day, day.AddDate(0, 0, 1), entente.PrecisionDay, true)
						i++
						continue
					}
				}
			}
			if y, ok := yearAt(toks, i+1); ok {
				start := entente.Day(y, m, 1)
				add(i, i+2, start, start.AddDate(0, 1, 0), entente.PrecisionMonth, false)
				i++
				continue
			}
			if (at(i-1) == "last" || at(i-1) == "in" || at(i-1) == "this") && !anchor.IsZero() {
				y := anchorYear(anchor, m)
				start := entente.Day(y, m, 1)
				add(i, i+1, start, start.AddDate(0, 1, 0), entente.PrecisionMonth, true)
				continue
			}
		}
		// 2025-2026, 2025–26; 2024
		if y, ok := year(t); ok {
			if i+1 < len(toks) && t.end < len(s) && (s[t.end] == '-' || (t.end+3 <= len(s) && s[t.end:t.end+3] == "–")) {
				k := i + 1
				if toks[k].norm == "–" || toks[k].norm == "—" {
					k++
				}
				if y2, ok := yearAt(toks, k); ok && y2 > y && y2-y < 20 {
					add(i, k+1, entente.Day(y, 1, 1), entente.Day(y2+1, 1, 1), entente.PrecisionYear, false)
					i = k
					continue
				}
				if n := at(k); len(n) == 2 && isNumber(n) {
					y2 := y/100*100 + atoi(n)
					if y2 > y {
						add(i, k+1, entente.Day(y, 1, 1), entente.Day(y2+1, 1, 1), entente.PrecisionYear, false)
						i = k
						continue
					}
				}
			}
			add(i, i+1, entente.Day(y, 1, 1), entente.Day(y+1, 1, 1), entente.PrecisionYear, false)
			continue
		}
		if anchor.IsZero() {
			continue
		}
		day := anchor.UTC().Truncate(24 * time.Hour)
		switch t.norm {
		case "yesterday":
			d := day.AddDate(0, 0, -1)
			add(i, i+1, d, day, entente.PrecisionDay, true)
		case "today":
			add(i, i+1, day, day.AddDate(0, 0, 1), entente.PrecisionDay, true)
		case "year":
			if n := at(i - 1); n == "last" || n == "this" || n == "next" {
				y := anchor.Year() + map[string]int{"last": -1, "this": 0, "next": 1}[n]
				add(i-1, i+1, entente.Day(y, 1, 1), entente.Day(y+1, 1, 1), entente.PrecisionYear, true)
			}
		case "month":
			if n := at(i - 1); n == "last" || n == "this" || n == "next" {
				m := entente.Day(anchor.Year(), anchor.Month(), 1).AddDate(0, map[string]int{"last": -1, "this": 0, "next": 1}[n], 0)
				add(i-1, i+1, m, m.AddDate(0, 1, 0), entente.PrecisionMonth, true)
			}
		default:
			if wd, ok := weekdays[t.norm]; ok && t.cap {
				back := (int(day.Weekday()) - int(wd) + 7) % 7
				d := day.AddDate(0, 0, -back)
				add(i, i+1, d, d.AddDate(0, 0, 1), entente.PrecisionDay, true)
			}
		}
	}
	return out
}

func tokAt(toks []token, i int) token {
	if i < 0 || i >= len(toks) {
		return token{}
	}
	return toks[i]
}

func yearAt(toks []token, i int) (int, bool) {
	if i < 0 || i >= len(toks) {
		return 0, false
	}
	return year(toks[i])
}

// anchorYear is the year of the latest month m not after the anchor.
func anchorYear(anchor time.Time, m time.Month) int {
	if m > anchor.Month() {
		return anchor.Year() - 1
	}
	return anchor.Year()
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
