package entente

import (
	"fmt"
	"strconv"
	"time"
)

// Precision says how much of a date was given.
type Precision int

// Precisions of a date, coarsest last.
const (
	PrecisionDay Precision = iota
	PrecisionMonth
	PrecisionYear
)

// String names the precision: day, month or year.
func (p Precision) String() string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionMonth:
		return "month"
	case PrecisionYear:
		return "year"
	}
	return "unknown"
}

// ParsePrecision reads a precision as String writes it; anything else is PrecisionDay.
func ParsePrecision(s string) Precision {
	switch s {
	case "month":
		return PrecisionMonth
	case "year":
		return PrecisionYear
	}
	return PrecisionDay
}

// DateSpec is a date as a user wrote it: YYYY, YYYY-MM or YYYY-MM-DD. Start is the first
// day it covers and End the day after the last (a half-open interval), both UTC midnight.
type DateSpec struct {
	Start     time.Time
	End       time.Time
	Precision Precision
}

// Day returns the UTC midnight of y-m-d.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ParseDateSpec parses YYYY, YYYY-MM or YYYY-MM-DD. Errors have code EINVALID.
func ParseDateSpec(s string) (DateSpec, error) {
	bad := func() (DateSpec, error) {
		return DateSpec{}, Errorf(EINVALID, "bad date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	switch len(s) {
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 {
			return bad()
		}
		start := Day(y, 1, 1)
		return DateSpec{start, start.AddDate(1, 0, 0), PrecisionYear}, nil
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return bad()
		}
		return DateSpec{t, t.AddDate(0, 1, 0), PrecisionMonth}, nil
	case 10:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return bad()
		}
		return DateSpec{t, t.AddDate(0, 0, 1), PrecisionDay}, nil
	}
	return bad()
}

// ParseDay parses a YYYY-MM-DD date as found in data files.
func ParseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w %q: want YYYY-MM-DD", ErrBadDate, s)
	}
	return t, nil
}
