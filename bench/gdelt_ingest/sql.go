package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/entente/entente/country"
)

// exportColumns are the 61 columns of a GDELT 2.0 export file with the types a careful
// DuckDB user gives them: DATEADDED overflows INTEGER, event codes keep leading zeros,
// ADM and feature codes mix digits and letters.
var exportColumns = [][2]string{
	{"GLOBALEVENTID", "BIGINT"}, {"SQLDATE", "INTEGER"}, {"MonthYear", "INTEGER"}, {"Year", "INTEGER"}, {"FractionDate", "DOUBLE"},
	{"Actor1Code", "VARCHAR"}, {"Actor1Name", "VARCHAR"}, {"Actor1CountryCode", "VARCHAR"}, {"Actor1KnownGroupCode", "VARCHAR"},
	{"Actor1EthnicCode", "VARCHAR"}, {"Actor1Religion1Code", "VARCHAR"}, {"Actor1Religion2Code", "VARCHAR"},
	{"Actor1Type1Code", "VARCHAR"}, {"Actor1Type2Code", "VARCHAR"}, {"Actor1Type3Code", "VARCHAR"},
	{"Actor2Code", "VARCHAR"}, {"Actor2Name", "VARCHAR"}, {"Actor2CountryCode", "VARCHAR"}, {"Actor2KnownGroupCode", "VARCHAR"},
	{"Actor2EthnicCode", "VARCHAR"}, {"Actor2Religion1Code", "VARCHAR"}, {"Actor2Religion2Code", "VARCHAR"},
	{"Actor2Type1Code", "VARCHAR"}, {"Actor2Type2Code", "VARCHAR"}, {"Actor2Type3Code", "VARCHAR"},
	{"IsRootEvent", "INTEGER"}, {"EventCode", "VARCHAR"}, {"EventBaseCode", "VARCHAR"}, {"EventRootCode", "VARCHAR"},
	{"QuadClass", "INTEGER"}, {"GoldsteinScale", "DOUBLE"}, {"NumMentions", "INTEGER"}, {"NumSources", "INTEGER"},
	{"NumArticles", "INTEGER"}, {"AvgTone", "DOUBLE"},
	{"Actor1Geo_Type", "INTEGER"}, {"Actor1Geo_FullName", "VARCHAR"}, {"Actor1Geo_CountryCode", "VARCHAR"},
	{"Actor1Geo_ADM1Code", "VARCHAR"}, {"Actor1Geo_ADM2Code", "VARCHAR"}, {"Actor1Geo_Lat", "DOUBLE"},
	{"Actor1Geo_Long", "DOUBLE"}, {"Actor1Geo_FeatureID", "VARCHAR"},
	{"Actor2Geo_Type", "INTEGER"}, {"Actor2Geo_FullName", "VARCHAR"}, {"Actor2Geo_CountryCode", "VARCHAR"},
	{"Actor2Geo_ADM1Code", "VARCHAR"}, {"Actor2Geo_ADM2Code", "VARCHAR"}, {"Actor2Geo_Lat", "DOUBLE"},
	{"Actor2Geo_Long", "DOUBLE"}, {"Actor2Geo_FeatureID", "VARCHAR"},
	{"ActionGeo_Type", "INTEGER"}, {"ActionGeo_FullName", "VARCHAR"}, {"ActionGeo_CountryCode", "VARCHAR"},
	{"ActionGeo_ADM1Code", "VARCHAR"}, {"ActionGeo_ADM2Code", "VARCHAR"}, {"ActionGeo_Lat", "DOUBLE"},
	{"ActionGeo_Long", "DOUBLE"}, {"ActionGeo_FeatureID", "VARCHAR"},
	{"DATEADDED", "BIGINT"}, {"SOURCEURL", "VARCHAR"},
}

// plainSQL is the DuckDB way, step by step: load, dedupe (the rule of docs/events.md:
// the first row of each GLOBALEVENTID, then the first of each day, dyad of states, event
// code, URL and DATEADDED day), aggregate per directed dyad of states and month.
var plainSQL = []string{`
CREATE TABLE raw AS SELECT * FROM read_csv('%s', delim = '\t', header = false, quote = '', escape = '',
    auto_detect = false, columns = {%s})`, `
CREATE TABLE events AS
WITH r AS (
    SELECT *, make_date(SQLDATE // 10000, SQLDATE // 100 %% 100, SQLDATE %% 100) AS day,
        row_number() OVER () AS seq
    FROM raw),
m AS (
    SELECT r.*, s1.id AS actor1, s2.id AS actor2 FROM r
    LEFT JOIN states s1 ON s1.code = r.Actor1CountryCode AND r.day BETWEEN s1.begin_day AND s1.end_day
    LEFT JOIN states s2 ON s2.code = r.Actor2CountryCode AND r.day BETWEEN s2.begin_day AND s2.end_day),
d AS (
    SELECT *,
        row_number() OVER (PARTITION BY GLOBALEVENTID ORDER BY seq) AS rn_id,
        row_number() OVER (PARTITION BY day, actor1, actor2, EventCode, SOURCEURL, DATEADDED // 1000000 ORDER BY seq) AS rn_near
    FROM m)
SELECT * EXCLUDE (rn_id, rn_near) FROM d WHERE rn_id = 1 AND (SOURCEURL IS NULL OR rn_near = 1)`, `
CREATE TABLE dyad_months AS
SELECT actor1, actor2, date_trunc('month', day)::DATE AS month, count(*) AS n,
    count(*) FILTER (WHERE QuadClass = 1) AS q1, count(*) FILTER (WHERE QuadClass = 2) AS q2,
    count(*) FILTER (WHERE QuadClass = 3) AS q3, count(*) FILTER (WHERE QuadClass = 4) AS q4,
    coalesce(sum(GoldsteinScale * greatest(NumSources, 1)) FILTER (WHERE GoldsteinScale IS NOT NULL), 0) AS gsum,
    coalesce(sum(greatest(NumSources, 1)) FILTER (WHERE GoldsteinScale IS NOT NULL), 0) AS gweight
FROM events
WHERE actor1 IS NOT NULL AND actor2 IS NOT NULL AND actor1 <> actor2
GROUP BY ALL`}

// runDuckDB does the work the DuckDB way in a new database file with the store's
// memory limit, and times it from the raw files to the dyad-month table. The table of
// state codes (every ISO3 spell of the registry, plus CAMEO's own codes for three
// states) is built before the clock starts.
func runDuckDB(ctx context.Context, path, corpus string) (time.Duration, monthsDigest, error) {
	os.Remove(path)
	db, err := sql.Open("duckdb", path+"?memory_limit=4GB")
	if err != nil {
		return 0, monthsDigest{}, err
	}
	defer db.Close()
	if err := loadStates(ctx, db); err != nil {
		return 0, monthsDigest{}, err
	}
	cols := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		cols[i] = fmt.Sprintf("'%s': '%s'", c[0], c[1])
	}
	start := time.Now()
	for i, q := range plainSQL {
		if i == 0 {
			q = fmt.Sprintf(q, filepath.Join(corpus, "*.export.CSV"), strings.Join(cols, ", "))
		} else {
			q = strings.ReplaceAll(q, "%%", "%")
		}
		t := time.Now()
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, monthsDigest{}, fmt.Errorf("step %d: %w", i+1, err)
		}
		fmt.Printf("duckdb:  step %d (%s) %s\n", i+1, []string{"read_csv", "dedupe", "dyad-months"}[i], time.Since(t).Round(time.Millisecond))
	}
	elapsed := time.Since(start)
	d, err := digest(ctx, db, "dyad_months")
	return elapsed, d, err
}

// cameoStates are CAMEO's codes for states whose ISO3 code differs (as ingest/gdelt).
var cameoStates = map[string]string{"TMP": "TLS", "KSV": "XKX", "ROM": "ROU"}

func loadStates(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE states (code VARCHAR, id VARCHAR, begin_day DATE, end_day DATE)`); err != nil {
		return err
	}
	var vals []string
	add := func(code string, id string, b, e time.Time) {
		if e.IsZero() {
			e = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		vals = append(vals, fmt.Sprintf("('%s', '%s', DATE '%s', DATE '%s')", code, id, b.Format(time.DateOnly), e.Format(time.DateOnly)))
	}
	for _, c := range country.Default().All() {
		if c.ISO3 == "" {
			continue
		}
		add(c.ISO3, c.ID, c.Begin, c.End)
		for cameo, iso := range cameoStates {
			if iso == c.ISO3 {
				add(cameo, c.ID, c.Begin, c.End)
			}
		}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO states VALUES `+strings.Join(vals, ", "))
	return err
}
