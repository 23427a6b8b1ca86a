// Package gdelt reads GDELT event files into typed rows: the pure layer (parsers and a
// streaming reader with a callback); mapping into entente facts and storing them live
// elsewhere.
//
// # Layouts
//
// Files are tab-separated, one row a line, no header, no quoting: double quotes are
// ordinary characters (stray ones occur in actor names). Upstream ships them zipped,
// one file per zip (Open). Read tells the layouts apart by the field count of the first
// data line, falling back on the file name (DetectName) when that line fits none:
//
//   - LayoutExport, GDELT 2.0 events (YYYYMMDDHHMMSS.export.CSV), 61 fields.
//   - LayoutMentions, GDELT 2.0 mentions (YYYYMMDDHHMMSS.mentions.CSV), 16 fields.
//   - LayoutV1Events, GDELT 1.0 events: daily files (YYYYMMDD.export.CSV, from April
//     2013) with 58 fields and back-files (1979 to March 2013) with 57, told apart line
//     by line, so a file mixing both reads (Stats.V1Daily, Stats.V1Back).
//
// Column maps (0-based; names as in the GDELT 2.0 Event Database codebook V2.0 and the
// GDELT 1.0 event codebook V1.03). Columns read, in every events layout:
//
//	0 GLOBALEVENTID  1 SQLDATE  5 Actor1Code  6 Actor1Name  7 Actor1CountryCode
//	12 Actor1Type1Code  15 Actor2Code  16 Actor2Name  17 Actor2CountryCode
//	22 Actor2Type1Code  25 IsRootEvent  26 EventCode  27 EventBaseCode  28 EventRootCode
//	29 QuadClass  30 GoldsteinScale  31 NumMentions  32 NumSources  33 NumArticles
//	34 AvgTone
//
// then, where the layouts differ (2.0 has an ADM2Code in each of the three geography
// blocks, 1.0 has not):
//
//	2.0 export (61):   53 ActionGeo_CountryCode  59 DATEADDED (YYYYMMDDHHMMSS)  60 SOURCEURL
//	1.0 daily (58):    51 ActionGeo_CountryCode  56 DATEADDED (YYYYMMDD)        57 SOURCEURL
//	1.0 back-file (57): 51 ActionGeo_CountryCode  56 DATEADDED (YYYYMMDD)        (no URL)
//
// Mentions (16): 0 GLOBALEVENTID  1 EventTimeDate  2 MentionTimeDate  3 MentionType
// 4 MentionSourceName  5 MentionIdentifier  6 SentenceID  7 Actor1CharOffset
// 8 Actor2CharOffset  9 ActionCharOffset  10 InRawText  11 Confidence  12 MentionDocLen
// 13 MentionDocTone; 14 MentionDocTranslationInfo and 15 Extras are not kept.
//
// The other columns (MonthYear, Year, FractionDate, the known-group, ethnic, religion
// and secondary type codes, the actor geographies, lat/long, feature IDs) are split but
// not checked or kept: entente does not use them.
//
// A first line whose first field starts with "GlobalEvent" (any case: GLOBALEVENTID,
// GlobalEventsID) is a header row, which some copies carry (with misspelled names such
// as "Goldstien"): it is skipped and reported in Stats.HeaderLine. A byte-order mark, a
// '\r' before the newline and blank lines (Stats.Blank) are tolerated.
//
// # Values
//
// GLOBALEVENTID is a positive integer; SQLDATE a calendar day (YYYYMMDD); the three
// event codes must be CAMEO codes of the embedded table (EventCode; ErrUnknownCode),
// leading zeros kept; QuadClass must be that of the root code (QuadClass; roots 01-05
// verbal cooperation, 06-09 material cooperation, 10-14 verbal conflict, 15-20 material
// conflict, as in GDELT's lookup file and every staged row). GoldsteinScale must lie in
// [-10, 10], AvgTone and MentionDocTone in [-100, 100], written as plain decimals.
// DATEADDED is kept as the int64 YYYYMMDDHHMMSS (it overflows int32); the day-only
// DATEADDED of 1.0 files becomes YYYYMMDD000000.
//
// Empty numeric fields are common and not errors: GoldsteinScale, AvgTone and
// MentionDocTone give NaN; NumMentions, NumSources, NumArticles, SentenceID,
// Confidence and MentionDocLen give 0; IsRootEvent and InRawText false; character
// offsets -1 (GDELT's own "not found").
//
// # Bad rows
//
// A line that fails a check is passed to the callback as a *BadRow holding an
// *entente.ParseError (file, line, 1-based byte column and column name when one field
// is at fault) that wraps entente.ErrFieldCount, ErrBadNumber, ErrBadDate, ErrNotUTF8,
// ErrLineTooLong (over MaxLineBytes), ErrTruncated (a last line without newline and
// with too few fields) or ErrUnknownCode, plus the raw line cut to 1,000 bytes. Reading
// goes on. Every line is accounted for: Stats.Lines = Rows + Bad + Blank + the header.
// Only an empty file (entente.ErrEmpty), a read error or an error from the callback end
// Read early.
//
// # Speed
//
// Lines are split in place; numbers and dates are parsed from bytes; only kept text
// becomes strings, short codes and names through a bounded interner, URLs once per
// distinct run. About 600 MB/s and 1.5 million export rows/s on one core, under one
// allocation per row (BenchmarkReadExport).
//
// CAMEO event codes and Goldstein values are embedded (cameo/eventcodes.tsv, generated
// by cameo/gen.go from GDELT's lookup files; see cameo/README.md).
package gdelt
