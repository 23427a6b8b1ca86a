package main

import (
	"strings"
	"testing"
)

func TestRankAid(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "aid", aidTestdata, "--quiet")
	r := mustRun(t, db, "rank", "Ukraine", "--signal", "aid", "--at", "2022", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,name,period,months,eur_bn,financial,humanitarian,military" {
		t.Errorf("header %q", got)
	}
	// Germany 0.15 + 0.44 + 1.567, the US 0.356201 + 1.073926, Australia 0.215253.
	if got := strings.Join(tb.column("iso3"), ","); got != "DEU,USA,AUS" {
		t.Errorf("order %s, want DEU,USA,AUS (the EU is not a state)", got)
	}
	if row := tb.one(t, "iso3", "DEU"); !near(t, row["eur_bn"], 2.157) || !near(t, row["humanitarian"], 0.75) || row["period"] != "2022" {
		t.Errorf("Germany %v", row)
	}
	if !strings.Contains(r.stderr, "not ranked, not a state: EU, EUR 2.40") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	// Seen from a donor: its one recipient.
	tb = parseCSV(t, mustRun(t, db, "rank", "DEU", "--signal", "aid", "--at", "2022", "--format", "csv").stdout)
	if len(tb.rows) != 1 || tb.rows[0]["iso3"] != "UKR" {
		t.Errorf("Germany's recipients: %v", tb.rows)
	}
	wantExit(t, db, 2, []string{"no aid records of"}, "rank", "BRA", "--signal", "aid")
	wantExit(t, db, 2, []string{"ranks by eur_bn"}, "rank", "UKR", "--signal", "aid", "--metric", "kappa")
}

func TestRankEvents(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "gdelt", gdeltTestdata, "--quiet")
	r := mustRun(t, db, "rank", "USA", "--signal", "events", "--at", "2016", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,name,period,n,n_out,n_in,goldstein_mean,coop_share,weight" {
		t.Errorf("header %q", got)
	}
	checkOrder(t, tb, "goldstein_mean")
	// 2016-07 in the 1.0 excerpt: CAN → USA 172 (-5), CHN → USA 112 (-2), USA → AUS 030 (4);
	// USA → USA is not a dyad.
	if got := strings.Join(tb.column("iso3"), ","); got != "AUS,CHN,CAN" {
		t.Errorf("order %s, want AUS,CHN,CAN:\n%s", got, r.stdout)
	}
	if row := tb.one(t, "iso3", "CAN"); row["n"] != "1" || row["n_in"] != "1" || row["n_out"] != "0" || !near(t, row["goldstein_mean"], -5) {
		t.Errorf("Canada %v", row)
	}
	tb = parseCSV(t, mustRun(t, db, "rank", "USA", "--signal", "events", "--at", "2016", "--metric", "coop_share", "--format", "csv").stdout)
	checkOrder(t, tb, "coop_share")
	wantExit(t, db, 2, []string{"goldstein_mean (default), coop_share or n"}, "rank", "USA", "--signal", "events", "--metric", "kappa")
	wantExit(t, db, 2, []string{"no events of"}, "rank", "BRA", "--signal", "events")
}
