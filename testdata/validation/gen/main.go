// Command gen writes the dev label sets of testdata/validation from recorded UN votes
// (../shared/data/unvotes/un_votes.csv, Voeten's data as packaged by the R unvotes
// package) and from published lists of states, checking each against the counts and
// names that its cited sources give. Run from the repository root:
//
//	go run ./testdata/validation/gen -unvotes ../shared/data/unvotes -out testdata/validation
//
// A vote-derived set maps each recorded vote to a group (who voted like the focal state's
// cause is "with", who voted the other way "against", abstentions "neutral"); the focal
// state's own vote is left out. Where the recorded data disagree with the numbers the
// sources give, gen says so; where a source names the states of a group, every named
// state must have voted that way in the data and no other state may have, or gen fails.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente/country"
)

type source struct{ url, title, date string }

// spec is one label set.
type spec struct {
	name, focal string
	outcome     string
	sources     []source
	// A vote-derived set: the roll call, what each vote means, the counts the sources
	// give (yes, no, abstain; -1 when not given) and, per vote, states a source names.
	rcid    string
	vote    map[string]string // "yes"/"no"/"abstain" → group
	counts  [3]int
	named   map[string][]string // vote → names as published (resolved with the registry)
	partial map[string]bool     // vote → the named list is only part of the group
	// A list set: the date of the outcome and, per group, names as published.
	date  string
	lists map[string][]string
}

var (
	sponsorYes = map[string]string{"yes": "with", "no": "against", "abstain": "neutral"}
	targetYes  = map[string]string{"yes": "against", "no": "with", "abstain": "neutral"}
)

var jerusalem = []source{{"https://www.un.org/press/en/2017/ga11995.doc.htm", "General Assembly Overwhelmingly Adopts Resolution Asking Nations Not to Locate Diplomatic Missions in Jerusalem (GA/11995)", "2017-12-21"}}
var jerusalemNo = []string{"Guatemala", "Honduras", "Israel", "Marshall Islands", "Federated States of Micronesia", "Nauru", "Palau", "Togo", "United States"}
var crimea2017 = source{"http://asiaplustj.info/en/news/world/20171220/un-officially-recognizes-russia-as-an-occupying-power", "UN officially recognizes Russia as an occupying power", "2017-12-20"}
var militarization = []source{
	{"https://ukranews.com/en/news/603049-un-general-assembly-adopts-resolution-on-militarization-of-crimea-black-sea-and-sea-of-azov-by", "UN General Assembly Adopts Resolution On Militarization Of Crimea, Black Sea And Sea Of Azov By Russia", "2018-12"},
	{"http://panarmenian.net/m/eng/news/263631", "Armenia votes against UN resolution on Crimea", "2018-12-18"},
}
var militarizationNo = []string{"Russia", "Belarus", "Armenia", "Zimbabwe", "Venezuela", "Iran", "Syria", "Cuba"}

var specs = []spec{
	{name: "usa-2017-jerusalem", focal: "USA", rcid: "5588", vote: targetYes, counts: [3]int{128, 9, 35},
		outcome: "A/RES/ES-10/19 Status of Jerusalem, recorded vote 2017-12-21, against the US recognition of Jerusalem as Israel's capital: voted no = with, yes = against, abstained = neutral",
		sources: jerusalem,
		named:   map[string][]string{"no": jerusalemNo}},
	{name: "isr-2017-jerusalem", focal: "ISR", rcid: "5588", vote: targetYes, counts: [3]int{128, 9, 35},
		outcome: "A/RES/ES-10/19 Status of Jerusalem, recorded vote 2017-12-21: voted no = with Israel, yes = against, abstained = neutral",
		sources: jerusalem,
		named:   map[string][]string{"no": jerusalemNo}},
	{name: "isr-2012-palestine", focal: "ISR", rcid: "5182", vote: targetYes, counts: [3]int{138, 9, 41},
		outcome: "A/RES/67/19 Status of Palestine in the United Nations (non-member observer State), recorded vote 2012-11-29, opposed by Israel: voted no = with, yes = against, abstained = neutral",
		sources: []source{
			{"http://www.straitstimes.com/st/print/636489", "Palestinians win votes from UN for state recognition (AFP)", "2012-11-30"},
			{"http://www.christianheadlines.com/blog/u-n-general-assembly-votes-palestinian-statehood.html", "U.N. General Assembly Votes in Favor of Palestinian Statehood", "2012-11-30"},
		}},
	{name: "gbr-2017-chagos", focal: "GBR", rcid: "5547", vote: targetYes, counts: [3]int{94, 15, 65},
		outcome: "A/RES/71/292 request for an ICJ advisory opinion on the separation of the Chagos Archipelago from Mauritius, recorded vote 2017-06-22, opposed by the UK: voted no = with, yes = against, abstained = neutral",
		sources: []source{
			{"http://telegraph.co.uk/news/2017/06/22/un-asks-international-court-advise-britains-separation-chagos", "UN asks International Court to advise on Britain's separation of Chagos", "2017-06-22"},
			{"http://southsouthnews.com/index.php?option=com_macgallery&view=images&albumid=670", "General Assembly Adopts Resolution Seeking ICJ Opinion on Separation of Chagos Archipelago from Mauritius", "2017-06-22"},
		}},
	{name: "ukr-2016-crimea", focal: "UKR", rcid: "5489", vote: sponsorYes, counts: [3]int{70, 26, 77},
		outcome: "A/RES/71/205 Situation of human rights in the Autonomous Republic of Crimea and the city of Sevastopol (Ukraine), tabled by Ukraine, recorded vote 2016-12-19: voted yes = with, no = against, abstained = neutral",
		sources: []source{crimea2017,
			{"https://risu.org.ua/en/index/all_news/ukraine_and_world/international_relations/65135/", "UN General Assembly committee adopts resolution on human rights in Crimea", "2016-11-16"}}},
	{name: "rus-2017-crimea", focal: "RUS", rcid: "5558", vote: targetYes, counts: [3]int{70, 26, 76},
		outcome: "A/RES/72/190 Situation of human rights in the Autonomous Republic of Crimea and the city of Sevastopol, Ukraine, recorded vote 2017-12-19, naming Russia the occupying power: voted no = with Russia, yes = against, abstained = neutral",
		sources: []source{crimea2017},
		named: map[string][]string{"no": {"Armenia", "Belarus", "Bolivia", "Burundi", "Cambodia", "China", "Cuba", "North Korea", "Eritrea", "India", "Iran", "Kazakhstan", "Kyrgyzstan",
			"Myanmar", "Nicaragua", "Philippines", "Russia", "Serbia", "South Africa", "Sudan", "Syria", "Tajikistan", "Uganda", "Uzbekistan", "Venezuela", "Zimbabwe"}}},
	{name: "ukr-2018-crimea-militarization", focal: "UKR", rcid: "6125", vote: sponsorYes, counts: [3]int{66, 19, 72},
		outcome: "A/RES/73/194 Problem of the militarization of the Autonomous Republic of Crimea and the city of Sevastopol, Ukraine, as well as parts of the Black Sea and the Sea of Azov, initiated by Ukraine, recorded vote 2018-12-17: voted yes = with, no = against, abstained = neutral",
		sources: militarization,
		named:   map[string][]string{"no": militarizationNo}, partial: map[string]bool{"no": true}},
	{name: "rus-2018-crimea-militarization", focal: "RUS", rcid: "6125", vote: targetYes, counts: [3]int{66, 19, 72},
		outcome: "A/RES/73/194 Problem of the militarization of Crimea and parts of the Black Sea and the Sea of Azov, against Russia as the occupying power, recorded vote 2018-12-17: voted no = with Russia, yes = against, abstained = neutral",
		sources: militarization,
		named:   map[string][]string{"no": militarizationNo}, partial: map[string]bool{"no": true}},
	{name: "aze-2008-occupied-territories", focal: "AZE", rcid: "4828", vote: sponsorYes, counts: [3]int{39, 7, 100},
		outcome: "A/RES/62/243 The situation in the occupied territories of Azerbaijan, introduced by Azerbaijan, recorded vote 2008-03-14: voted yes = with, no = against, abstained = neutral",
		sources: []source{
			{"https://press.un.org/en/2008/ga10693.doc.htm", "General Assembly adopts resolution reaffirming territorial integrity of Azerbaijan, demanding withdrawal of all Armenian forces (GA/10693)", "2008-03-14"},
			{"https://armeniandiaspora.com/forum/2008/march-2008/123923-oic-and-guam-push-through-azerbaijan-s-resolution-on-karabakh-in-un", "OIC and GUAM members push through Azerbaijan's resolution on Karabakh in UN (PanARMENIAN.Net)", "2008-03-15"},
		},
		named: map[string][]string{
			"no": {"Angola", "Armenia", "France", "India", "Russia", "United States", "Vanuatu"},
			"yes": {"Afghanistan", "Azerbaijan", "Bahrain", "Bangladesh", "Brunei Darussalam", "Cambodia", "Colombia", "Comoros", "Djibouti", "Gambia", "Georgia",
				"Indonesia", "Iraq", "Jordan", "Kuwait", "Libya", "Malaysia", "Maldives", "Moldova", "Morocco", "Myanmar", "Niger", "Nigeria", "Oman", "Pakistan", "Qatar",
				"Saudi Arabia", "Senegal", "Serbia", "Sierra Leone", "Somalia", "Sudan", "Turkey", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates", "Uzbekistan", "Yemen"},
		}},
	{name: "syr-2012-arab-league-plan", focal: "SYR", rcid: "5180", vote: targetYes, counts: [3]int{137, 12, 17},
		outcome: "A/RES/66/253 The situation in the Syrian Arab Republic, backing the Arab League plan, recorded vote 2012-02-16: voted no = with Syria, yes = against, abstained = neutral",
		sources: []source{
			{"https://press.un.org/en/2012/ga11207.doc.htm", "General Assembly Adopts Resolution Strongly Condemning 'Widespread and Systematic' Human Rights Violations by Syrian Authorities (GA/11207)", "2012-02-16"},
			{"http://dagblog.com/in-the-news?page=597", "dagblog In the News, quoting the Los Angeles Times on the General Assembly vote on Syria", "2012-02-16"},
		},
		named: map[string][]string{"no": {"Belarus", "Bolivia", "China", "Cuba", "North Korea", "Ecuador", "Iran", "Nicaragua", "Russia", "Syria", "Venezuela", "Zimbabwe"}}},
	{name: "irn-2015-human-rights", focal: "IRN", rcid: "5459", vote: targetYes, counts: [3]int{81, 37, 67},
		outcome: "A/RES/70/173 Situation of human rights in the Islamic Republic of Iran, recorded vote 2015-12-17: voted no = with Iran, yes = against, abstained = neutral",
		sources: []source{{"https://rferl.org/amp/un-criticized-iran-over-human-rights-violations/27434789.html", "UN Criticizes Iran Over Human Rights Violations (RFE/RL)", "2015-12-17"}},
		named:   map[string][]string{"no": {"China", "Cuba", "Russia", "Syria", "South Africa", "India", "Indonesia", "Iraq", "Lebanon"}}, partial: map[string]bool{"no": true}},
	{name: "mmr-2019-rohingya", focal: "MMR", rcid: "9124", vote: targetYes, counts: [3]int{134, 9, 28},
		outcome: "A/RES/74/246 Situation of human rights of Rohingya Muslims and other minorities in Myanmar, recorded vote 2019-12-27: voted no = with Myanmar, yes = against, abstained = neutral",
		sources: []source{
			{"https://upnewsinfo.com/2019/12/28/un-resolution-condemns-rohingya-abuse-in-myanmar/", "UN resolution condemns Rohingya abuse in Myanmar", "2019-12-28"},
			{"https://wp.bssnews.net/?p=325336", "UN adopts Resolution on Myanmar with overwhelming majority (BSS)", "2019-12-28"},
		}},
	{name: "geo-2017-idps", focal: "GEO", rcid: "5546", vote: sponsorYes, counts: [3]int{80, 14, 61},
		outcome: "A/RES/71/290 Status of internally displaced persons and refugees from Abkhazia, Georgia, and the Tskhinvali region/South Ossetia, Georgia, initiated by Georgia, recorded vote 2017-06-01: voted yes = with, no = against, abstained = neutral",
		sources: []source{{"https://civil.ge/archives/365266", "Civil Georgia on the UN General Assembly's 2020 vote on Georgia's IDP resolution, with the counts of earlier years", "2020-09-03"}}},
	{name: "ind-1971-ceasefire", focal: "IND", rcid: "1227", vote: targetYes, counts: [3]int{104, 11, 10},
		outcome: "A/RES/2793 (XXVI), the General Assembly's call on India and Pakistan for an immediate cease-fire and the withdrawal of their armed forces, recorded vote 1971-12-07 (dated 1971-12-06 in the data): voted no = with India, yes = against, abstained = neutral",
		sources: []source{
			{"http://1971.bdesh.com/show_article.php?article_id=1475", "New York Times report from the United Nations, 7 December 1971, on the General Assembly's cease-fire resolution (104 to 11, 10 abstentions), reproduced at 1971.bdesh.com", "1971-12-07"},
			{"http://1971.bdesh.com/show_article.php?article_id=1487", "New York Times report from the United Nations, 8 December 1971, on India's and Pakistan's answers to the resolution adopted by 104 to 11, reproduced at 1971.bdesh.com", "1971-12-08"},
			{"https://en.wikisource.org/wiki/United_Nations_Security_Council_Resolution_307", "United Nations Security Council Resolution 307 (Wikisource): \"Noting General Assembly resolution 2793 of 7 December 1971\"", "1971-12-21"},
		},
		named:   map[string][]string{"yes": {"Pakistan", "United States", "China"}, "no": {"India", "Soviet Union"}},
		partial: map[string]bool{"yes": true, "no": true}},
	{name: "tur-1977-cyprus", focal: "TUR", rcid: "1749", vote: targetYes, counts: [3]int{116, 6, 20},
		outcome: "A/RES/32/15 Question of Cyprus (implementation of resolution 3212 (XXIX), which urged the withdrawal of foreign armed forces from Cyprus), recorded vote 1977-11-09 (dated 1977-11-06 in the data): voted no = with Turkey, yes = against, abstained = neutral",
		sources: []source{
			{"https://www.cyprusun.org/?p=3947", "Resolution 32/15 (1977): text and vote (cyprusun.org)", "2024-03-02"},
			{"http://kypros.org/Chypre/resolutions/resol_32-15.htm", "Résolution 32/15 de l'Assemblée générale des Nations unies (9 novembre 1977)", "1977-11-09"},
			{"http://athena.hri.org/Cyprus/Cyprus_Problem/hr/hr_17.htm", "Resolution 3212 (XXIX) of 1 November 1974: vote and text (athena.hri.org)", "1974-11-01"},
		},
		named: map[string][]string{"no": {"Turkey", "Afghanistan", "Bangladesh", "Iran", "Pakistan", "Uganda"}}},
	{name: "sun-1980-afghanistan", focal: "SUN", rcid: "2096", vote: targetYes, counts: [3]int{111, 22, 12},
		outcome: "A/RES/35/37 The situation in Afghanistan, calling for the withdrawal of foreign troops from Afghanistan (in essence the Soviet troops occupying it, as the Christian Science Monitor reported), recorded vote 1980-11-20 (dated 1980-11-04 in the data): voted no = with the Soviet Union, yes = against, abstained = neutral",
		sources: []source{
			{"https://www.csmonitor.com/1980/1124/112448.html", "Soviet Union suffers resounding diplomatic defeat at UN over occupation of Afghanistan (Christian Science Monitor)", "1980-11-24"},
			{"http://tz.uname.cn/html/art/60/34_13408.shtml", "联大决议要求苏军立即撤出阿富汗(1980年) (the General Assembly resolution demanding the immediate withdrawal of Soviet troops from Afghanistan, 1980: 111 to 22, 12 abstentions, 20 November 1980)", "2006-11-15"},
		}},
	{name: "usa-1983-grenada", focal: "USA", rcid: "2492", vote: targetYes, counts: [3]int{108, 9, 27},
		outcome: "A/RES/38/7 The situation in Grenada, deeply deploring the armed intervention in Grenada (by the United States with East Caribbean states), recorded vote 1983-11-02 (dated 1983-11-06 in the data): voted no = with the United States, yes = against, abstained = neutral",
		sources: []source{
			{"https://www.csmonitor.com/1983/1104/110445.html", "United Nations role in Grenada elections being considered (Christian Science Monitor)", "1983-11-04"},
			{"http://www.un.org/documents/ga/res/38/a38r007.htm", "A/RES/38/7 The situation in Grenada", "1983-11-02"},
		},
		named:   map[string][]string{"no": {"United States", "Israel", "El Salvador"}},
		partial: map[string]bool{"no": true}},
	{name: "chn-2020-third-committee", focal: "CHN", date: "2020-10-06",
		outcome: "Joint statements in the General Assembly's Third Committee, 2020-10-06: signed Germany's statement of concern on Xinjiang and Hong Kong = against; named among the signers of Pakistan's statement on Hong Kong (on behalf of 55) in the sources, or Cuba, which read the statement supporting China on Xinjiang (on behalf of 45) = with; the other signers of those statements are not named in the sources read and are left out",
		sources: []source{
			{"https://hk.appledaily.com/news/20201007/ZZLJ3YXFFJBITMIVMFJOSE7GSY/", "Apple Daily report on the joint statement of 39 countries on Xinjiang and Hong Kong at the Third Committee, with the signers named", "2020-10-07"},
			{"https://tricksfast.com/ethiopia/?p=311418", "Pakistan leads group of 55 nations supporting China in Hong Kong: newspaper", "2020-10"},
			{"https://www.urdupoint.com/en/world/china-praises-pakistans-support-at-un-on-h-1052875.html", "UrduPoint report: China praises Pakistan's support at the UN on Hong Kong (Pakistan for 55 countries, Cuba for 45)", "2020-10-10"},
		},
		lists: map[string][]string{
			"with": {"Pakistan", "Cuba", "Iran", "Iraq", "Bangladesh", "Algeria", "Afghanistan", "Egypt", "Bahrain", "Eritrea", "Mauritania", "Morocco", "Palestine",
				"Somalia", "Saudi Arabia", "Sudan", "Syria", "United Arab Emirates", "Yemen", "Russia", "North Korea", "Venezuela"},
			"against": {"Germany", "Albania", "Australia", "Austria", "Belgium", "Bosnia and Herzegovina", "Bulgaria", "Canada", "Croatia", "Denmark", "Estonia", "Finland",
				"France", "Haiti", "Honduras", "Iceland", "Ireland", "Italy", "Japan", "Latvia", "Liechtenstein", "Lithuania", "Luxembourg", "Marshall Islands", "Monaco",
				"Nauru", "Netherlands", "New Zealand", "North Macedonia", "Norway", "Palau", "Poland", "Slovakia", "Slovenia", "Spain", "Sweden", "Switzerland",
				"United Kingdom", "United States"},
		}},
	{name: "chn-2020-hong-kong", focal: "CHN", date: "2020-06-30",
		outcome: "Joint statements at the 44th session of the Human Rights Council, 2020-06-30, on the Hong Kong national security law: joined Cuba's statement supporting it = with, joined the UK's statement criticising it = against",
		sources: []source{
			{"https://www.axios.com/countries-supporting-china-hong-kong-law-0ec9bc6c-3aeb-4af0-8031-aa0f01a46a7c.html", "The 53 countries supporting China's crackdown on Hong Kong (Axios)", "2020-07-02"},
			{"https://www.globaltimes.cn/content/1193136.shtml", "Over 50 countries support China's national security law for HK at human rights council", "2020-07-01"},
		},
		lists: map[string][]string{
			"with": {"Antigua and Barbuda", "Bahrain", "Belarus", "Burundi", "Cambodia", "Cameroon", "Central African Republic", "Comoros", "Congo-Brazzaville", "Cuba", "Djibouti",
				"Dominica", "Egypt", "Equatorial Guinea", "Eritrea", "Gabon", "Gambia", "Guinea", "Guinea-Bissau", "Iran", "Iraq", "Kuwait", "Laos", "Lebanon", "Lesotho",
				"Mauritania", "Morocco", "Mozambique", "Myanmar", "Nepal", "Nicaragua", "Niger", "North Korea", "Oman", "Pakistan", "Palestine", "Papua New Guinea",
				"Saudi Arabia", "Sierra Leone", "Somalia", "South Sudan", "Sri Lanka", "Sudan", "Suriname", "Syria", "Tajikistan", "Togo", "UAE", "Venezuela", "Yemen",
				"Zambia", "Zimbabwe"},
			"against": {"Australia", "Austria", "Belgium", "Belize", "Canada", "Denmark", "Estonia", "Finland", "France", "Iceland", "Ireland", "Germany", "Japan", "Latvia",
				"Liechtenstein", "Lithuania", "Luxembourg", "Marshall Islands", "Netherlands", "New Zealand", "Norway", "Palau", "Slovakia", "Slovenia", "Sweden",
				"Switzerland", "United Kingdom"},
		}},
}

func main() {
	unvotes := flag.String("unvotes", "../shared/data/unvotes", "directory holding un_votes.csv and un_roll_calls.csv")
	out := flag.String("out", "testdata/validation", "directory to write the label files to")
	flag.Parse()
	if err := run(*unvotes, *out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type vote struct{ iso2, vote, name string }

func run(dir, out string, log io.Writer) error {
	need := map[string]bool{}
	for _, s := range specs {
		if s.rcid != "" {
			need[s.rcid] = true
		}
	}
	dates, err := rollCallDates(filepath.Join(dir, "un_roll_calls.csv"), need)
	if err != nil {
		return err
	}
	votes, err := readVotes(filepath.Join(dir, "un_votes.csv"), need)
	if err != nil {
		return err
	}
	reg := country.Default()
	for _, s := range specs {
		var labels map[string]string
		var day time.Time
		if s.rcid != "" {
			day = dates[s.rcid]
			if day.IsZero() {
				return fmt.Errorf("%s: roll call %s not found", s.name, s.rcid)
			}
			labels, err = fromVote(s, votes[s.rcid], day, reg, log)
		} else {
			day, err = time.Parse(time.DateOnly, s.date)
			if err == nil {
				labels, err = fromLists(s, day, reg)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if err := write(filepath.Join(out, s.name+".tsv"), s, day, labels); err != nil {
			return err
		}
		n := map[string]int{}
		for _, g := range labels {
			n[g]++
		}
		fmt.Fprintf(log, "%s: %s at %s: %d with, %d against, %d neutral\n", s.name, s.focal, day.AddDate(-1, 0, 0).Format(time.DateOnly), n["with"], n["against"], n["neutral"])
	}
	return nil
}

// publishedAs reads names that the registry holds ambiguous (a short name that other
// states' names contain) as the sources mean them: their lists name South Sudan,
// Guinea-Bissau, Equatorial Guinea and Papua New Guinea by those names, so "Sudan" is
// the Republic of the Sudan and "Guinea" the Republic of Guinea.
var publishedAs = map[string]string{"Sudan": "SDN", "Guinea": "GIN"}

func resolve(reg *country.Registry, name string, day time.Time) (string, error) {
	query := name
	if code, ok := publishedAs[name]; ok {
		query = code
	}
	c, err := reg.Resolve(query, day)
	if err != nil {
		return "", fmt.Errorf("name %q: %w", name, err)
	}
	return c.ID, nil
}

func fromVote(s spec, vs []vote, day time.Time, reg *country.Registry, log io.Writer) (map[string]string, error) {
	byID := map[string]string{} // ID → recorded vote
	count := map[string]int{}
	for _, v := range vs {
		c, ok := reg.ByISO2(v.iso2, day)
		if v.iso2 == "" {
			// A seat the data give without a code (the Yemen Arab Republic): its name.
			id, err := resolve(reg, v.name, day)
			if err != nil {
				return nil, fmt.Errorf("a vote without an ISO2 code: %w", err)
			}
			c, ok = reg.ByISO3(id, day)
			fmt.Fprintf(log, "note: %q (no ISO2 code) on %s read as %s by its name\n", v.name, day.Format(time.DateOnly), id)
		}
		if !ok {
			// The unvotes data keep a seat's old code after a successor took it (Serbia
			// votes as "YU" to 2019): take the spell holding the same COW number that day.
			old, found := reg.ByISO2(v.iso2, time.Time{})
			if found && old.COW > 0 {
				c, ok = reg.ByCOW(old.COW, day)
				if ok {
					fmt.Fprintf(log, "note: ISO2 %s on %s read as %s (same COW number %d)\n", v.iso2, day.Format(time.DateOnly), c.ID, old.COW)
				}
			}
			if !ok && found {
				// A UN seat that was not a state then (the Ukrainian and Byelorussian
				// SSRs, members from 1945): its vote counts toward the totals the
				// sources give, and it is left out of the labels.
				fmt.Fprintf(log, "note: ISO2 %s on %s: a UN seat but no state of the registry then (%s begins %s): left out\n",
					v.iso2, day.Format(time.DateOnly), old.ID, old.Begin.Format(time.DateOnly))
				count[v.vote]++
				continue
			}
		}
		if !ok {
			return nil, fmt.Errorf("ISO2 %q not in the registry on %s", v.iso2, day.Format(time.DateOnly))
		}
		if _, dup := byID[c.ID]; dup {
			return nil, fmt.Errorf("two votes for %s", c.ID)
		}
		byID[c.ID] = v.vote
		count[v.vote]++
	}
	// A source that names every state of a vote group is taken over the data: a named
	// state recorded otherwise is corrected (and said so); a state recorded in the group
	// but not named is an error. A partial list must agree with the data.
	for _, v := range []string{"yes", "no", "abstain"} {
		names := s.named[v]
		if len(names) == 0 {
			continue
		}
		named := map[string]bool{}
		for _, name := range names {
			id, err := resolve(reg, name, day)
			if err != nil {
				return nil, err
			}
			named[id] = true
			if got := byID[id]; got != v {
				if s.partial[v] {
					return nil, fmt.Errorf("a source names %s among the %s votes; the data record %q", id, v, got)
				}
				fmt.Fprintf(log, "%s: note: %s recorded %q in the data; the sources name it among the %s votes: corrected\n", s.name, id, got, v)
				if got != "" {
					count[got]--
				}
				byID[id] = v
				count[v]++
			}
		}
		if s.partial[v] {
			continue
		}
		for id, got := range byID {
			if got == v && !named[id] {
				return nil, fmt.Errorf("the data record %s voting %s; the sources do not name it", id, v)
			}
		}
	}
	for i, v := range []string{"yes", "no", "abstain"} {
		want := s.counts[i]
		if want >= 0 && count[v] != want {
			fmt.Fprintf(log, "%s: note: the data record %d %s votes, the sources %d\n", s.name, count[v], v, want)
			if count[v] > want && s.vote[v] != "neutral" {
				return nil, fmt.Errorf("more %s votes recorded (%d) than the sources give (%d): cannot tell which is wrong", v, count[v], want)
			}
		}
	}
	labels := map[string]string{}
	for id, v := range byID {
		if id == s.focal {
			continue
		}
		g, ok := s.vote[v]
		if !ok {
			return nil, fmt.Errorf("%s: unexpected vote %q", id, v)
		}
		labels[id] = g
	}
	return labels, nil
}

func fromLists(s spec, day time.Time, reg *country.Registry) (map[string]string, error) {
	labels := map[string]string{}
	for g, names := range s.lists {
		for _, name := range names {
			id, err := resolve(reg, name, day)
			if err != nil {
				return nil, err
			}
			if prev, dup := labels[id]; dup {
				return nil, fmt.Errorf("%s in both %s and %s", id, prev, g)
			}
			if id == s.focal {
				return nil, fmt.Errorf("the focal state %s is in the %s list", id, g)
			}
			labels[id] = g
		}
	}
	return labels, nil
}

func write(path string, s spec, day time.Time, labels map[string]string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Dev label set %s: generated by testdata/validation/gen; DO NOT EDIT (change gen and rerun).\n", s.name)
	if s.rcid != "" {
		fmt.Fprintf(&b, "# Groups from the recorded vote, un_votes.csv rcid %s (../shared/data/unvotes, Voeten via the R unvotes package).\n", s.rcid)
	} else {
		b.WriteString("# Groups from the lists of states the sources publish.\n")
	}
	fmt.Fprintf(&b, "# focal: %s\n", s.focal)
	fmt.Fprintf(&b, "# at: %s\n", day.AddDate(-1, 0, 0).Format(time.DateOnly))
	fmt.Fprintf(&b, "# outcome: %s\n", s.outcome)
	for _, src := range s.sources {
		fmt.Fprintf(&b, "# source: %s | %s | %s\n", src.url, src.title, src.date)
	}
	b.WriteString("iso3\tgroup\n")
	ids := make([]string, 0, len(labels))
	for id := range labels {
		ids = append(ids, id)
	}
	order := map[string]int{"with": 0, "against": 1, "neutral": 2}
	sort.Slice(ids, func(i, j int) bool {
		if order[labels[ids[i]]] != order[labels[ids[j]]] {
			return order[labels[ids[i]]] < order[labels[ids[j]]]
		}
		return ids[i] < ids[j]
	})
	for _, id := range ids {
		fmt.Fprintf(&b, "%s\t%s\n", id, labels[id])
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write label file: %w", err)
	}
	return os.Rename(tmp, path)
}

func rollCallDates(path string, need map[string]bool) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := eachRow(path, []string{"rcid", "date"}, func(f []string) error {
		if !need[f[0]] {
			return nil
		}
		d, err := time.Parse(time.DateOnly, f[1])
		if err != nil {
			return fmt.Errorf("rcid %s: date %q: %w", f[0], f[1], err)
		}
		if _, dup := out[f[0]]; !dup {
			out[f[0]] = d
		}
		return nil
	})
	return out, err
}

func readVotes(path string, need map[string]bool) (map[string][]vote, error) {
	out := map[string][]vote{}
	err := eachRow(path, []string{"rcid", "country_code", "vote", "country"}, func(f []string) error {
		if need[f[0]] {
			out[f[0]] = append(out[f[0]], vote{f[1], f[2], f[3]})
		}
		return nil
	})
	return out, err
}

// eachRow calls fn with the named columns of every row of a CSV file with a header.
func eachRow(path string, cols []string, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, h := range header {
			if h == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return fmt.Errorf("%s: no column %q", path, c)
		}
	}
	vals := make([]string, len(cols))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for i, j := range idx {
			vals[i] = rec[j]
		}
		if err := fn(vals); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}
