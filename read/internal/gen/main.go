// Command gen builds read/actors_gen.tsv, the compact actor dictionary of package read,
// from the Phoenix actor dictionaries of petrarch2 (openeventdata/petrarch2, MIT
// licence, Copyright (c) 2014 Open Event Data Alliance): country names, adjectives and
// places (Phoenix.Countries.actors.txt), the people in it who held a government role,
// with the dates of those roles, armed non-state groups tied to one state
// (Phoenix.MilNonState.actors.txt) and intergovernmental organisations
// (Phoenix.International.actors.txt).
//
// Usage: go run ./internal/gen -data ../../shared/data/cameo/petrarch2 (from read/).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente/country"
)

// cameoToISO maps the CAMEO country codes that are not ISO 3166 alpha-3 codes.
var cameoToISO = map[string]string{
	"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "USR": "SUN", "KSV": "XKX",
	"JAP": "JPN", "BUR": "MMR", "DRV": "VNM",
}

type entry struct {
	kind, code, name, note string
}

var (
	codeRe = regexp.MustCompile(`\[([A-Z]{3}[A-Z0-9]*)\s*([<>]?[0-9]{6,8})?(?:-([0-9]{6,8}))?\]`)
	reg    = country.Default()
)

func iso(cameo string) string {
	if v, ok := cameoToISO[cameo]; ok {
		return v
	}
	if c, ok := reg.ByISO3(cameo, time.Time{}); ok {
		return c.ID
	}
	return ""
}

// date parses a Phoenix YYMMDD (or YYYYMMDD) date: two-digit years above 30 are 19xx.
func date(s string) string {
	if len(s) == 8 {
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	if len(s) != 6 {
		return ""
	}
	century := "20"
	if s[:2] > "30" {
		century = "19"
	}
	return century + s[:2] + "-" + s[2:4] + "-" + s[4:]
}

// name turns a Phoenix phrase into lower-case tokens separated by spaces.
func name(s string) string {
	if i := strings.IndexAny(s, "#["); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "+"))
	s = regexp.MustCompile(`\([^)]*\)`).ReplaceAllString(s, " ")
	s = strings.NewReplacer("_", " ", "-", " ", ".", "", ",", " ", "'S ", " 'S ").Replace(s)
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

type block struct {
	names []string
	codes [][]string // code, from, to
}

func blocks(path string) []block {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var out []block
	var cur *block
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		head := !strings.HasPrefix(t, "+") && !strings.HasPrefix(t, "[") && line[0] != ' ' && line[0] != '\t'
		if head {
			out = append(out, block{})
			cur = &out[len(out)-1]
		}
		if cur == nil {
			continue
		}
		if !strings.HasPrefix(t, "[") {
			if n := name(t); n != "" {
				cur.names = append(cur.names, n)
			}
		}
		for _, m := range codeRe.FindAllStringSubmatch(t, -1) {
			from, to := m[2], m[3]
			switch {
			case strings.HasPrefix(from, ">"):
				from = date(from[1:])
			case strings.HasPrefix(from, "<"):
				to, from = date(from[1:]), ""
			default:
				from, to = date(from), date(to)
			}
			cur.codes = append(cur.codes, []string{m[1], from, to})
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return out
}

func main() {
	data := flag.String("data", "../../shared/data/cameo/petrarch2", "petrarch2 dictionary folder")
	plover := flag.String("plover", "../../shared/data/cameo/plover/CAMEO2PLOVER-2021.txt", "CAMEO to PLOVER table")
	out := flag.String("out", "actors_gen.tsv", "output file")
	flag.Parse()
	var entries []entry
	unmapped := map[string]int{}
	add := func(kind, code, note string, names []string) {
		for _, n := range names {
			if len(n) < 2 {
				continue
			}
			entries = append(entries, entry{kind, code, n, note})
		}
	}
	for _, b := range blocks(filepath.Join(*data, "Phoenix.Countries.actors.txt")) {
		if len(b.codes) == 0 {
			continue
		}
		last := b.codes[len(b.codes)-1][0]
		if len(last) == 3 { // a country, its adjectives and places
			id := iso(last)
			if id == "" {
				unmapped[last]++
				continue
			}
			add("s", id, "", b.names)
			continue
		}
		// a person: keep those with a government role, and the role's dates
		var spans []string
		id := ""
		for _, c := range b.codes {
			if len(c[0]) >= 6 && c[0][3:6] == "GOV" {
				if id = iso(c[0][:3]); id == "" {
					unmapped[c[0][:3]]++
				}
				spans = append(spans, c[1]+".."+c[2])
			}
		}
		if id == "" || len(spans) == 0 {
			continue
		}
		add("p", id, span(spans), b.names)
	}
	for _, b := range blocks(filepath.Join(*data, "Phoenix.MilNonState.actors.txt")) {
		for _, c := range b.codes {
			if len(c[0]) >= 6 && c[0][3:6] == "REB" {
				if id := iso(c[0][:3]); id != "" {
					add("g", id, "", b.names)
				}
			}
		}
	}
	for _, b := range blocks(filepath.Join(*data, "Phoenix.International.actors.txt")) {
		if len(b.codes) == 0 || !strings.HasPrefix(b.codes[0][0], "IGO") || b.codes[0][1] != "" || b.codes[0][2] != "" {
			continue // people with dated posts in organisations are left out
		}
		code := "IGO"
		switch c := b.codes[0][0]; {
		case strings.HasPrefix(c, "IGOUNO"):
			code = "UN"
		case c == "IGOWSTNAT":
			code = "NATO"
		}
		add("o", code, "", b.names)
	}
	entries = append(entries, surnames(entries, commonWords(*data))...)
	// one line per name: the first entry wins (country names before people)
	seen := map[string]bool{}
	var b strings.Builder
	b.WriteString("# Code generated by read/internal/gen from openeventdata/petrarch2 Phoenix actor dictionaries (MIT licence, (c) 2014 Open Event Data Alliance); DO NOT EDIT.\n")
	b.WriteString("# kind (s state name or place, p person with government roles, g armed group, o organisation)\tcode\tname tokens\tgovernment roles\n")
	n := 0
	for _, e := range entries {
		k := e.kind + "\t" + e.name
		if seen[e.name] {
			continue
		}
		seen[e.name] = true
		_ = k
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", e.kind, e.code, e.name, e.note)
		n++
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	writePlover(*plover)
	log.Printf("%d names; unmapped CAMEO codes: %v", n, unmapped)
}

// surnames derives a surname alias ("mugabe") from each person's full names where all
// people of that surname belong to one state and the surname is no other entry's name.
func surnames(entries []entry, common map[string]bool) []entry {
	full := map[string]bool{}
	for _, e := range entries {
		full[e.name] = true
	}
	state := map[string]string{}
	note := map[string]string{}
	for _, e := range entries {
		if e.kind != "p" {
			continue
		}
		f := strings.Fields(e.name)
		if len(f) < 2 {
			continue
		}
		s := f[len(f)-1]
		if len(s) < 5 || full[s] || common[s] {
			continue
		}
		if prev, ok := state[s]; ok && prev != e.code {
			state[s] = "-"
			continue
		}
		state[s] = e.code
		note[s] = e.note
	}
	var out []entry
	for s, id := range state {
		if id != "-" {
			out = append(out, entry{"p", id, s, note[s]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// span merges government spans into one: the earliest start to the latest end ("" while
// open).
func span(spans []string) string {
	from, to, open := "", "", false
	for _, s := range spans {
		f, t, _ := strings.Cut(s, "..")
		if from == "" || (f != "" && f < from) {
			from = f
		}
		if t == "" {
			open = true
		} else if t > to {
			to = t
		}
	}
	if open {
		to = ""
	}
	return from + ".." + to
}

// writePlover writes plover_gen.tsv: CAMEO code, PLOVER event type, PLOVER mode, from
// the PLOVER project's CAMEO2PLOVER-2021.txt (openeventdata/PLOVER, CC BY-SA 4.0).
func writePlover(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# Code generated by read/internal/gen from openeventdata/PLOVER CAMEO2PLOVER-2021.txt (CC BY-SA 4.0, Philip Schrodt, PLOVER manual draft 0.8); DO NOT EDIT.\n")
	b.WriteString("# cameo\tplover event\tmode\n")
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n") {
		code, rest, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(code, "#") || len(code) < 3 || seen[code] {
			continue
		}
		if i := strings.Index(rest, "#"); i >= 0 {
			rest = rest[:i]
		}
		f := strings.Split(rest, ",")
		ev := strings.TrimSpace(f[0])
		mode := ""
		if len(f) > 1 {
			mode = strings.TrimSpace(f[1])
		}
		if ev == "" {
			continue
		}
		seen[code] = true
		fmt.Fprintf(&b, "%s\t%s\t%s\n", strings.TrimSpace(code), ev, mode)
	}
	if err := os.WriteFile("plover_gen.tsv", []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// commonWords are the words of the Phoenix agents dictionary (court, secretary, police)
// and of the CAMEO verb patterns: ordinary words, never a surname alias on their own.
func commonWords(data string) map[string]bool {
	out := map[string]bool{}
	for _, f := range []string{"Phoenix.agents.txt", "CAMEO.2.0.txt"} {
		b, err := os.ReadFile(filepath.Join(data, f))
		if err != nil {
			log.Fatal(err)
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(string(b)), func(r rune) bool { return r < 'a' || r > 'z' }) {
			out[w] = true
		}
	}
	for _, w := range []string{"prime", "labor", "labour", "court", "house", "party", "union", "front", "council", "forces", "office", "general", "national", "people", "state", "states", "news"} {
		out[w] = true
	}
	return out
}
