package gdelt

import (
	"path/filepath"
	"strings"
)

// Layout is one of the GDELT file layouts this package reads.
type Layout int

// Layouts, told apart by the field count of the first data line (and, when that line is
// unusable, by the file name: see DetectName).
const (
	LayoutUnknown  Layout = iota
	LayoutExport          // GDELT 2.0 events export, YYYYMMDDHHMMSS.export.CSV: 61 fields
	LayoutMentions        // GDELT 2.0 mentions, YYYYMMDDHHMMSS.mentions.CSV: 16 fields
	LayoutV1Events        // GDELT 1.0 events: daily YYYYMMDD.export.CSV (58 fields) and back-files YYYY[MM].CSV (57 fields), mixed per line
)

// String names the layout as users see it in messages.
func (l Layout) String() string {
	switch l {
	case LayoutExport:
		return "GDELT 2.0 export"
	case LayoutMentions:
		return "GDELT 2.0 mentions"
	case LayoutV1Events:
		return "GDELT 1.0 events"
	}
	return "unknown"
}

// Field counts of the layouts.
const (
	ExportFields   = 61
	MentionsFields = 16
	V1DailyFields  = 58 // 1.0 daily files (from 2013-04-01): with SOURCEURL
	V1BackFields   = 57 // 1.0 back-files (1979 to 2013-03): no SOURCEURL
)

// layoutOfCount returns the layout a field count implies.
func layoutOfCount(n int) Layout {
	switch n {
	case ExportFields:
		return LayoutExport
	case MentionsFields:
		return LayoutMentions
	case V1DailyFields, V1BackFields:
		return LayoutV1Events
	}
	return LayoutUnknown
}

// DetectName guesses the layout from a file name as upstream names them, with or without
// .zip: YYYYMMDDHHMMSS.export.CSV (2.0 export), YYYYMMDDHHMMSS.mentions.CSV (2.0
// mentions), YYYYMMDD.export.CSV (1.0 daily), YYYY.csv or YYYYMM.csv (1.0 back-files).
// Case is ignored. Anything else is LayoutUnknown. Read trusts the field count over the
// name.
func DetectName(name string) Layout {
	base := strings.ToLower(filepath.Base(name))
	base = strings.TrimSuffix(base, ".zip")
	stamp, kind, _ := strings.Cut(base, ".")
	if !allDigits(stamp) {
		return LayoutUnknown
	}
	switch {
	case kind == "mentions.csv" && len(stamp) == 14:
		return LayoutMentions
	case kind == "export.csv" && len(stamp) == 14:
		return LayoutExport
	case kind == "export.csv" && len(stamp) == 8, kind == "csv" && (len(stamp) == 4 || len(stamp) == 6):
		return LayoutV1Events
	}
	return LayoutUnknown
}

func allDigits(s string) bool {
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

// eventCols is where an events layout keeps the columns entente reads (0-based).
type eventCols struct {
	n                                             int // field count
	id, day                                       int
	a1Code, a1Name, a1Country, a1Type1            int
	a2Code, a2Name, a2Country, a2Type1            int
	isRoot, code, base, root, quad, goldstein     int
	numMentions, numSources, numArticles, avgTone int
	actionGeoCountry, dateAdded, sourceURL        int // sourceURL -1: none
	names                                         []string
}

// exportNames are the 61 column names of the GDELT 2.0 Event Database codebook (V2.0,
// 2015-02-19), in file order.
var exportNames = []string{
	"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
	"Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
	"Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
	"Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
	"Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
	"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
	"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
	"Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
	"Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
	"Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
	"Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
	"ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
	"ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
	"DATEADDED", "SOURCEURL",
}

// v1Names are the GDELT 1.0 columns (codebook V1.03): the 2.0 ones without the three
// *Geo_ADM2Code columns; back-files also lack SOURCEURL.
var v1Names = func() []string {
	var out []string
	for _, n := range exportNames {
		if !strings.HasSuffix(n, "_ADM2Code") {
			out = append(out, n)
		}
	}
	return out
}()

// mentionsNames are the 16 columns of the GDELT 2.0 Event Mentions table (codebook V2.0).
var mentionsNames = []string{
	"GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
	"MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
	"InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
}

// Mentions columns (0-based).
const (
	mID = iota
	mEventTime
	mMentionTime
	mType
	mSourceName
	mIdentifier
	mSentence
	mA1Offset
	mA2Offset
	mActionOffset
	mInRawText
	mConfidence
	mDocLen
	mDocTone
)

// colsOf builds the column map of an events layout from its column names.
func colsOf(names []string) *eventCols {
	at := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		return -1
	}
	return &eventCols{
		n: len(names), id: at("GLOBALEVENTID"), day: at("SQLDATE"),
		a1Code: at("Actor1Code"), a1Name: at("Actor1Name"), a1Country: at("Actor1CountryCode"), a1Type1: at("Actor1Type1Code"),
		a2Code: at("Actor2Code"), a2Name: at("Actor2Name"), a2Country: at("Actor2CountryCode"), a2Type1: at("Actor2Type1Code"),
		isRoot: at("IsRootEvent"), code: at("EventCode"), base: at("EventBaseCode"), root: at("EventRootCode"),
		quad: at("QuadClass"), goldstein: at("GoldsteinScale"),
		numMentions: at("NumMentions"), numSources: at("NumSources"), numArticles: at("NumArticles"), avgTone: at("AvgTone"),
		actionGeoCountry: at("ActionGeo_CountryCode"), dateAdded: at("DATEADDED"), sourceURL: at("SOURCEURL"),
		names: names,
	}
}

var (
	exportCols  = colsOf(exportNames)
	v1DailyCols = colsOf(v1Names)
	v1BackCols  = colsOf(v1Names[:V1BackFields])
)
