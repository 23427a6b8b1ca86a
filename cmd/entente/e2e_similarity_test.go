package main

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/country"
)

// simCSV runs a similarity command line with --format csv against db and parses it.
func simCSV(t *testing.T, db string, args ...string) table {
	t.Helper()
	r := mustRun(t, db, append(append([]string{"similarity"}, args...), "--format", "csv")...)
	return parseCSV(t, r.stdout)
}

// excerptVotes reads the votes of ccode in testdata/voeten_excerpt.csv by resid.
func excerptVotes(t *testing.T, ccode string) map[string]int {
	t.Helper()
	f, err := os.Open("testdata/voeten_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), ",")
		if fs[1] == ccode {
			v, _ := strconv.Atoi(fs[4])
			out[fs[0]] = v
		}
	}
	return out
}

// agreeKappa computes agreement (Lijphart: 1 same, 0.5 when one abstains, 0 opposite)
// and Cohen's kappa over paired vote codes, the way the tests' hand counts do.
func agreeKappa(a, b []int) (agree, kappa float64) {
	var sum, same float64
	var ma, mb [4]float64
	for i := range a {
		switch d := math.Abs(float64(a[i] - b[i])); d {
		case 0:
			sum++
			same++
		case 1:
			sum += 0.5
		}
		ma[a[i]]++
		mb[b[i]]++
	}
	n := float64(len(a))
	var pe float64
	for c := 1; c <= 3; c++ {
		pe += ma[c] / n * mb[c] / n
	}
	return sum / n, (same/n - pe) / (1 - pe)
}

// TestSimilarityHandComputed checks the values of USSR/Russia and the US against counts
// done by hand from the excerpt (testdata/README.md) and against the excerpt itself.
func TestSimilarityHandComputed(t *testing.T) {
	// The excerpt holds the votes the hand counts were made from.
	us, ru := excerptVotes(t, "2"), excerptVotes(t, "365")
	years := map[string][]string{
		"1991": {"46004", "46016", "46065", "46066"},
		"1992": {"47001", "47006", "47015", "47041"},
	}
	wantVotes := map[string][2][]int{
		"1991": {{3, 3, 3, 1}, {1, 2, 3, 1}},
		"1992": {{1, 3, 1, 3}, {1, 3, 1, 1}},
	}
	for y, ids := range years {
		var a, b []int
		for _, id := range ids {
			a, b = append(a, us[id]), append(b, ru[id])
		}
		if w := wantVotes[y]; !slicesEqual(a, w[0]) || !slicesEqual(b, w[1]) {
			t.Fatalf("%s: excerpt votes US %v RU %v, want %v (testdata/README.md)", y, a, b, w)
		}
	}
	if _, ok := ru["46075"]; ok {
		t.Fatal("the excerpt has a Russian vote on 46075; the hand counts assume none")
	}
	a91, k91 := agreeKappa(wantVotes["1991"][0], wantVotes["1991"][1])
	a92, k92 := agreeKappa(wantVotes["1992"][0], wantVotes["1992"][1])
	if a91 != 0.625 || math.Abs(k91-3.0/11) > 1e-12 || a92 != 0.75 || k92 != 0.5 {
		t.Fatalf("hand counts disagree with the README: %v %v %v %v", a91, k91, a92, k92)
	}

	db := excerptDB(t)
	tb := simCSV(t, db, "USA", "RUS", "--metric", "all")
	want := "iso3_a,iso3_b,ccode_a,ccode_b,period,n,agree,s_abs,s_sq,pi,kappa,pi_w,kappa_w"
	if got := strings.Join(tb.header, ","); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	r91 := tb.one(t, "period", "1991")
	if r91["iso3_a"] != "USA" || r91["ccode_a"] != "2" || r91["ccode_b"] != "365" || r91["n"] != "4" {
		t.Errorf("1991 row %v: want USA first as given, COW 365 second, n 4", r91)
	}
	if !near(t, r91["agree"], 0.625) || !near(t, r91["kappa"], 3.0/11) {
		t.Errorf("1991: agree %s kappa %s, want 0.625 and 3/11", r91["agree"], r91["kappa"])
	}
	r92 := tb.one(t, "period", "1992")
	// 46075 (1992-08-03) has a US vote and no Russian one: not counted.
	if r92["n"] != "4" || !near(t, r92["agree"], 0.75) || !near(t, r92["kappa"], 0.5) ||
		!near(t, r92["pi"], 7.0/15) || !near(t, r92["s_abs"], 0.5) {
		t.Errorf("1992 row %v: want n 4, agree 0.75, kappa 0.5, pi 7/15, s_abs 0.5", r92)
	}
	// The same window as one range: 8 roll calls, agree (2.5 + 3)/8.
	rg := simCSV(t, db, "RUS", "USA", "--by", "range", "--from", "1991", "--to", "1992", "--metric", "agree")
	row := rg.one(t, "period", "1991-01-01..1992-12-31")
	if row["n"] != "8" || !near(t, row["agree"], 5.5/8) {
		t.Errorf("range row %v: want n 8, agree 0.6875", row)
	}
	if len(rg.rows) != 1 {
		t.Errorf("--by range gave %d rows, want 1", len(rg.rows))
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSimilaritySpellingsAndSuccession(t *testing.T) {
	db := excerptDB(t)
	ref := mustRun(t, db, "similarity", "RUS", "USA", "--format", "csv").stdout
	for _, spelling := range []string{"Russian Federation", "365", "RU", "russia", "rus", "Russia"} {
		r := mustRun(t, db, "similarity", spelling, "United States", "--format", "csv")
		if r.stdout != ref {
			t.Errorf("similarity %q \"United States\" differs from RUS USA:\n%s\nwant:\n%s", spelling, r.stdout, ref)
		}
	}
	// COW 365 is the USSR (SUN) until December 1991 and Russia after.
	tb := parseCSV(t, ref)
	for period, iso3 := range map[string]string{"1991": "SUN", "1992": "RUS", "2019": "RUS", "2025": "RUS"} {
		row := tb.one(t, "period", period)
		if row["iso3_a"] != iso3 || row["ccode_a"] != "365" || row["iso3_b"] != "USA" {
			t.Errorf("%s: %v, want %s (365) and USA", period, row, iso3)
		}
	}
	if len(tb.rows) != 4 {
		t.Errorf("%d yearly rows, want 4 (1991, 1992, 2019, 2025):\n%s", len(tb.rows), ref)
	}
	// The successor of a code that no longer exists is accepted too: SUN names COW 365.
	r := mustRun(t, db, "similarity", "SUN", "USA", "--format", "csv")
	if r.stdout != ref {
		t.Errorf("similarity SUN USA differs from RUS USA:\n%s", r.stdout)
	}
}

func TestSimilarityPeriodsAndWindows(t *testing.T) {
	db := excerptDB(t)
	periods := func(tb table) string { return strings.Join(tb.column("period"), " ") }

	if got := periods(simCSV(t, db, "RUS", "USA", "--by", "year")); got != "1991 1992 2019 2025" {
		t.Errorf("--by year periods %q", got)
	}
	month := simCSV(t, db, "RUS", "USA", "--by", "month", "--metric", "agree,kappa")
	if got := periods(month); got != "1991-11 1991-12 1992-09 1992-11 1992-12 2019-11 2019-12 2025-02 2025-03" {
		t.Errorf("--by month periods %q", got)
	}
	// One roll call (47006) in 1992-11, both voted no: agreement 1, kappa undefined
	// (p_e = 1), an empty CSV field rather than 0 or NaN.
	if row := month.one(t, "period", "1992-11"); row["n"] != "1" || !near(t, row["agree"], 1) || row["kappa"] != "" {
		t.Errorf("1992-11: %v, want n 1, agree 1, kappa empty", row)
	}
	session := simCSV(t, db, "RUS", "USA", "--by", "session", "--metric", "agree")
	for s, n := range map[string]string{"46": "4", "47": "4", "74": "5"} {
		if row := session.one(t, "period", s); row["n"] != n {
			t.Errorf("session %s: %v, want n %s", s, row, n)
		}
	}
	// Session 46 runs into 1992 (46075 of 1992-08-03) but Russia did not vote on it.
	if row := session.one(t, "period", "46"); !near(t, row["agree"], 0.625) {
		t.Errorf("session 46: %v, want agree 0.625", row)
	}

	if got := periods(simCSV(t, db, "RUS", "USA", "--from", "1992", "--to", "1992")); got != "1992" {
		t.Errorf("--from 1992 --to 1992 periods %q", got)
	}
	if got := periods(simCSV(t, db, "RUS", "USA", "--from", "1992-12-03")); got != "1992 2019 2025" {
		t.Errorf("--from 1992-12-03 periods %q", got)
	}
	// --from a day: 1992 keeps only 47015 (1992-12-04).
	if row := simCSV(t, db, "RUS", "USA", "--from", "1992-12-03", "--to", "1992").one(t, "period", "1992"); row["n"] != "1" {
		t.Errorf("--from 1992-12-03 --to 1992: %v, want n 1", row)
	}
	if got := periods(simCSV(t, db, "RUS", "USA", "--to", "1991-11")); got != "1991" {
		t.Errorf("--to 1991-11 periods %q", got)
	}
	if row := simCSV(t, db, "RUS", "USA", "--to", "1991-11").one(t, "period", "1991"); row["n"] != "1" {
		t.Errorf("--to 1991-11: %v, want n 1 (46004)", row)
	}
	// A window with no shared roll call: a header and a note, no rows.
	r := mustRun(t, db, "similarity", "RUS", "USA", "--from", "2000", "--to", "2010", "--format", "csv")
	if tb := parseCSV(t, r.stdout); len(tb.rows) != 0 || len(tb.header) != 13 {
		t.Errorf("empty window: %s", r)
	}
	if !strings.Contains(r.stderr, "no roll calls") {
		t.Errorf("empty window gives no note on stderr: %q", r.stderr)
	}

	wantExit(t, db, 2, []string{"--by", "week"}, "similarity", "RUS", "USA", "--by", "week")
	wantExit(t, db, 2, []string{"--from 1993 is after --to 1992"}, "similarity", "RUS", "USA", "--from", "1993", "--to", "1992")
	wantExit(t, db, 2, []string{"--from"}, "similarity", "RUS", "USA", "--from", "1992-13")
	wantExit(t, db, 2, []string{"--to"}, "similarity", "RUS", "USA", "--to", "yesterday")
}

func TestSimilarityMetrics(t *testing.T) {
	db := excerptDB(t)
	base := "iso3_a,iso3_b,ccode_a,ccode_b,period,n,"
	for metric, cols := range map[string]string{
		"kappa":                   "kappa",
		"agree,kappa":             "agree,kappa",
		"kappa, agree":            "kappa,agree",
		"KAPPA,pi_w,kappa":        "kappa,pi_w",
		"all":                     "agree,s_abs,s_sq,pi,kappa,pi_w,kappa_w",
		"s_abs,s_sq,pi_w,kappa_w": "s_abs,s_sq,pi_w,kappa_w",
	} {
		tb := simCSV(t, db, "RUS", "USA", "--metric", metric)
		if got := strings.Join(tb.header, ","); got != base+cols {
			t.Errorf("--metric %q: header %q, want %q", metric, got, base+cols)
		}
	}
	// The default is all metrics.
	if got := strings.Join(simCSV(t, db, "RUS", "USA").header, ","); got != base+"agree,s_abs,s_sq,pi,kappa,pi_w,kappa_w" {
		t.Errorf("default header %q", got)
	}
	// A metric's value does not depend on which others are asked for.
	one := simCSV(t, db, "RUS", "USA", "--metric", "pi").one(t, "period", "1992")
	all := simCSV(t, db, "RUS", "USA", "--metric", "all").one(t, "period", "1992")
	if one["pi"] != all["pi"] {
		t.Errorf("pi alone %s, with all %s", one["pi"], all["pi"])
	}
	wantExit(t, db, 2, []string{`unknown metric "cosine"`, "kappa"}, "similarity", "RUS", "USA", "--metric", "cosine")
	wantExit(t, db, 2, []string{`unknown metric "bogus"`}, "similarity", "RUS", "USA", "--metric", "agree,bogus")
	wantExit(t, db, 2, []string{"unknown metric"}, "similarity", "RUS", "USA", "--metric", "")
}

func TestSimilarityIssue(t *testing.T) {
	db := excerptDB(t)
	// The only roll call coded me (9059, Palestine, 2019-12-03): Russia yes, the US no.
	tb := simCSV(t, db, "RUS", "USA", "--issue", "me", "--metric", "agree,kappa")
	row := tb.one(t, "period", "2019")
	if row["n"] != "1" || !near(t, row["agree"], 0) {
		t.Errorf("--issue me: %v, want n 1 and agree 0", row)
	}
	if len(tb.rows) != 1 {
		t.Errorf("--issue me: %d rows, want 1 (Voeten and UNDL roll calls carry no issue)", len(tb.rows))
	}
	// hr: 9073 only; Cuba and China both voted yes.
	if row := simCSV(t, db, "CUB", "CHN", "--issue", "HR", "--metric", "agree").one(t, "period", "2019"); row["n"] != "1" || !near(t, row["agree"], 1) {
		t.Errorf("--issue hr: %v, want n 1, agree 1", row)
	}
	// No roll call of the store is coded ec.
	wantExit(t, db, 2, []string{"no UN roll calls coded with issue ec"}, "similarity", "RUS", "USA", "--issue", "ec")
	wantExit(t, db, 2, []string{`unknown issue "xx"`, "hr"}, "similarity", "RUS", "USA", "--issue", "xx")
}

func TestSimilarityFormats(t *testing.T) {
	db := excerptDB(t)
	// CSV: the exact header, an empty field for an undefined value.
	r := mustRun(t, db, "similarity", "RUS", "USA", "--by", "month", "--metric", "agree,kappa", "--format", "csv")
	lines := strings.Split(r.stdout, "\n")
	if lines[0] != "iso3_a,iso3_b,ccode_a,ccode_b,period,n,agree,kappa" {
		t.Errorf("csv header %q", lines[0])
	}
	if !strings.Contains(r.stdout, "\nRUS,USA,365,2,1992-11,1,1,\n") {
		t.Errorf("csv has no row with an empty kappa for 1992-11:\n%s", r.stdout)
	}
	if strings.Contains(strings.ToLower(r.stdout), "nan") {
		t.Errorf("csv holds NaN:\n%s", r.stdout)
	}

	// JSON: valid, null for the undefined value, numbers as numbers.
	r = mustRun(t, db, "similarity", "RUS", "USA", "--by", "month", "--metric", "agree,kappa", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("json output does not decode: %v\n%s", err, r.stdout)
	}
	if len(rows) != 9 {
		t.Errorf("json: %d rows, want 9 months", len(rows))
	}
	for _, row := range rows {
		if row["period"] == "1992-11" {
			if v, ok := row["kappa"]; !ok || v != nil {
				t.Errorf("json 1992-11 kappa %v (present %v), want null", v, ok)
			}
			if row["agree"] != 1.0 || row["n"] != 1.0 || row["ccode_a"] != 365.0 || row["iso3_a"] != "RUS" {
				t.Errorf("json 1992-11 row %v", row)
			}
		}
		for _, k := range []string{"iso3_a", "iso3_b", "ccode_a", "ccode_b", "period", "n", "agree", "kappa"} {
			if _, ok := row[k]; !ok {
				t.Errorf("json row %v has no %s", row, k)
			}
		}
	}
	// An empty result is still a JSON array.
	r = mustRun(t, db, "similarity", "RUS", "USA", "--from", "2000", "--to", "2001", "--format", "json")
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 0 {
		t.Errorf("empty json result %q: %v", r.stdout, err)
	}

	// Table: "-" for undefined, ends with a newline.
	r = mustRun(t, db, "similarity", "RUS", "USA", "--by", "month", "--metric", "agree,kappa")
	if !strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("table does not end with a newline")
	}
	var found bool
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(l); len(f) == 8 && f[4] == "1992-11" {
			found = true
			if f[7] != "-" || f[6] != "1.000" {
				t.Errorf("table line %q: want agree 1.000 and kappa -", l)
			}
		}
	}
	if !found {
		t.Errorf("table has no 1992-11 line:\n%s", r.stdout)
	}
}

func TestSimilarityAll(t *testing.T) {
	db := excerptDB(t)
	r := mustRun(t, db, "similarity", "--all", "--metric", "agree,kappa", "--format", "csv")
	all := parseCSV(t, r.stdout)
	if got := strings.Join(all.header, ","); got != "iso3_a,iso3_b,ccode_a,ccode_b,period,n,agree,kappa" {
		t.Errorf("--all header %q", got)
	}
	// Every row is a dyad once, lower COW number first.
	seen := map[string]bool{}
	for _, row := range all.rows {
		a, b := atoi(t, row["ccode_a"]), atoi(t, row["ccode_b"])
		if a >= b {
			t.Errorf("--all row %v: ccode_a >= ccode_b", row)
		}
		k := row["ccode_a"] + "-" + row["ccode_b"] + "-" + row["period"]
		if seen[k] {
			t.Errorf("--all repeats %s", k)
		}
		seen[k] = true
	}
	// 1992: the 7 excerpt states give 21 dyads.
	if n := len(all.find("period", "1992")); n != 21 {
		t.Errorf("--all 1992: %d dyads, want 21", n)
	}
	if len(all.find("period", "1991", "ccode_a", "2", "ccode_b", "365", "iso3_b", "SUN")) != 1 {
		t.Errorf("--all 1991 has no USA-SUN row")
	}
	// Each dyad's rows equal the pairwise command's.
	for _, d := range [][2]string{{"2", "365"}, {"40", "710"}, {"370", "666"}} {
		pair := simCSV(t, db, d[0], d[1], "--metric", "agree,kappa")
		rows := all.find("ccode_a", d[0], "ccode_b", d[1])
		if len(rows) != len(pair.rows) || len(rows) == 0 {
			t.Errorf("dyad %v: %d rows in --all, %d pairwise", d, len(rows), len(pair.rows))
			continue
		}
		for i, p := range pair.rows {
			for _, k := range pair.header {
				if rows[i][k] != p[k] {
					t.Errorf("dyad %v period %s: --all %s = %q, pairwise %q", d, p["period"], k, rows[i][k], p[k])
				}
			}
		}
	}
	// The table and JSON paths give the same dyads as the streamed CSV.
	r = mustRun(t, db, "similarity", "--all", "--metric", "agree,kappa", "--format", "json", "--from", "1992", "--to", "1992")
	js := parseJSON(t, r.stdout)
	if len(js) != 21 {
		t.Errorf("--all json 1992: %d rows, want 21", len(js))
	}
	for _, row := range js {
		c := all.one(t, "period", "1992", "iso3_a", row["iso3_a"].(string), "iso3_b", row["iso3_b"].(string))
		if c["n"] != row["n"].(json.Number).String() {
			t.Errorf("--all json %v: n differs from csv %v", row, c)
		}
	}
	wantExit(t, db, 2, []string{"--all takes no states"}, "similarity", "--all", "RUS", "USA")
}

func TestSimilarityStateErrors(t *testing.T) {
	db := excerptDB(t)
	wantExit(t, db, 2, []string{"want two states"}, "similarity", "RUS")
	wantExit(t, db, 2, []string{"want two states"}, "similarity")
	wantExit(t, db, 2, []string{"want two states"}, "similarity", "RUS", "USA", "CHN")
	wantExit(t, db, 2, []string{`"Russland"`, "did you mean", "RUS"}, "similarity", "Russland", "USA")
	wantExit(t, db, 2, []string{`"XYZ"`}, "similarity", "XYZ", "USA")
	wantExit(t, db, 2, []string{"99999"}, "similarity", "99999", "USA")
	for _, pair := range [][2]string{{"RUS", "365"}, {"RU", "Russian Federation"}, {"SUN", "RUS"}, {"usa", "USA"}} {
		wantExit(t, db, 2, []string{pair[0], pair[1], "same"}, "similarity", pair[0], pair[1])
	}
	// cow:AUS is Austria (COW letters), AUS is Australia (ISO3): two different states.
	r := mustRun(t, db, "similarity", "cow:AUS", "AUS", "--format", "csv")
	if tb := parseCSV(t, r.stdout); len(tb.rows) == 0 || tb.rows[0]["iso3_a"] != "AUT" || tb.rows[0]["iso3_b"] != "AUS" {
		t.Errorf("similarity cow:AUS AUS: %s", r)
	}

	// An ambiguous name is an error that lists the candidates. The default registry has no
	// ambiguous name, so a registry of two Congos is injected.
	const file = "id\tiso3\tiso2\tisonum\tcow\tcowletter\tname\taliases\tbegin\tend\tnote\n" +
		"COG\tCOG\tCG\t178\t484\tCON\tCongo-Brazzaville\tCongo\t1960-08-15\t\t\n" +
		"COD\tCOD\tCD\t180\t490\tDRC\tCongo-Kinshasa\tCongo\t1960-06-30\t\t\n"
	reg, err := country.Load(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r = runApp(t, func(a *app) { a.countries = reg }, "similarity", "Congo", "COD", "--db", db)
	if r.code != 2 || !strings.Contains(r.stderr, "ambiguous") || !strings.Contains(r.stderr, "COG") || !strings.Contains(r.stderr, "COD") {
		t.Errorf("similarity Congo COD with two Congos: %s", r)
	}
	r = runApp(t, func(a *app) { a.countries = reg }, "similarity", "COG", "COD", "--db", db, "--format", "csv")
	if r.code != 0 {
		t.Errorf("similarity COG COD: %s", r)
	}

	// An empty store: a clear error, exit 2, naming the import command.
	wantExit(t, newDB(t), 2, []string{"no store at", "entente import unvotes"}, "similarity", "RUS", "USA")
}

// A state without a COW number has no UN vote record: a usage error, not an empty answer.
func TestStateWithoutCOWNumber(t *testing.T) {
	db := excerptDB(t)
	wantExit(t, db, 2, []string{"no COW state number"}, "similarity", "PSE", "USA")
	wantExit(t, db, 2, []string{"no COW state number"}, "rank", "--signal", "unvotes", "Holy See", "--at", "2019")
}
