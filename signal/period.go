package signal

import (
	"strconv"
	"time"

	"github.com/entente/entente"
)

// Period maps a roll call to the key of the period it belongs to (entente.Similarity's
// Period). The empty key leaves the roll call out.
type Period func(b *entente.Ballot) string

// ByYear groups roll calls by the calendar year of their date: "1980".
func ByYear() Period {
	return func(b *entente.Ballot) string { return strconv.Itoa(b.Date.Year()) }
}

// ByMonth groups roll calls by the calendar month of their date: "1980-03".
func ByMonth() Period {
	return func(b *entente.Ballot) string { return b.Date.Format("2006-01") }
}

// BySession groups roll calls by General Assembly session: "35". Roll calls whose
// session is unknown (0) are left out rather than guessed from the date, because
// resumed, special and emergency special sessions do not follow the calendar.
func BySession() Period {
	return func(b *entente.Ballot) string {
		if b.Session <= 0 {
			return ""
		}
		return strconv.Itoa(b.Session)
	}
}

// ByRange puts every roll call dated in [from, to) into one period; a zero bound is
// open. The key is "FROM..TO" with FROM the first and TO the last day covered
// (YYYY-MM-DD), an open bound written as nothing: "2020-01-01..2024-12-31",
// "..1990-12-31".
func ByRange(from, to time.Time) Period {
	key := ""
	if !from.IsZero() {
		key = from.Format(time.DateOnly)
	}
	key += ".."
	if !to.IsZero() {
		key += to.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return func(b *entente.Ballot) string {
		if !from.IsZero() && b.Date.Before(from) {
			return ""
		}
		if !to.IsZero() && !b.Date.Before(to) {
			return ""
		}
		return key
	}
}

// periodLess orders period keys: keys of digits only (years, sessions) by number, so
// session "9" precedes "10"; everything else (months, ranges) as strings, which for
// zero-padded dates is chronological.
func periodLess(a, b string) bool {
	if isDigits(a) && isDigits(b) && len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func isDigits(s string) bool {
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
