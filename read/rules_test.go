package read

import (
	"strings"
	"testing"
	"time"
)

// TestRules checks each rule of who acts, modality and dates added for issue 17 on
// several sentences written for this test (none from the PLOVER set or the annotated
// paragraphs), so that no rule fits one sentence only. Each case lists the asserted
// ledger acts "ACTOR>COUNTERPART kind date" the text must yield, and "!..." acts it must
// not assert.
func TestRules(t *testing.T) {
	at := time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC) // a Thursday
	for _, tc := range []struct {
		rule, text string
		want       []string
	}{
		// the clause's subject acts, not a state named in it
		{"second verb", "Pashinyan blamed Russia and Azerbaijan and announced that Armenia had frozen its participation in the CSTO.", []string{"ARM>CSTO membership_suspend -", "!RUS>CSTO membership_suspend -"}},
		{"second verb", "Poland accused Belarus of provocations and expelled Belarusian diplomats in May 2024.", []string{"POL>BLR diplomatic_break 2024-05"}},
		{"pronoun", "Russia invaded Ukraine on 24 February 2022, and on 30 September 2022 it declared the annexation of four Ukrainian regions.", []string{"RUS>UKR invasion 2022-02-24", "RUS>UKR annexation 2022-09-30"}},
		{"pronoun across sentences", "Turkey ratified Sweden's accession in January 2024. In March 2018 it sent troops to Qatar.", []string{"TUR>QAT troop_deployment 2018-03"}},
		{"no pronoun across paragraphs", "Turkey ratified Sweden's accession in January 2024.\n\nIn March 2018 it sent troops to Qatar.", []string{"!TUR>QAT troop_deployment -"}},
		{"participle", "Russia escalated its campaign in Ukraine in October 2022, launching missile strikes on Ukrainian power plants.", []string{"RUS>UKR strike 2022-10"}},
		{"participle", "The United States entered the war between Israel and Iran on 21 June 2025, launching airstrikes on Iranian nuclear sites.", []string{"USA>IRN strike 2025-06-21", "!ISR>IRN strike 2025-06-21"}},
		{"apposition", "Hungary, a member of the EU and NATO, refused to impose sanctions on Russia in 2022.", []string{"!EU>RUS sanctions 2022", "!NATO>RUS sanctions 2022"}},
		{"coordination with the", "On 1 May 2004, Poland, the Czech Republic and Hungary joined the EU.", []string{"POL>EU membership_join 2004-05-01", "CZE>EU membership_join 2004-05-01", "HUN>EU membership_join 2004-05-01"}},
		{"place is no party", "Indian and Chinese troops clashed at the border in Ladakh in June 2020.", []string{"IND>CHN border_clash 2020-06"}},
		{"epithet", "Finland shares a long border with Russia. The Nordic country joined NATO in April 2023.", []string{"FIN>NATO membership_join 2023-04", "!RUS>NATO membership_join 2023-04"}},
		{"epithet", "The EU adopted a new package in June 2024. The bloc imposed sanctions on Belarus.", []string{"EU>BLR sanctions 2024-06"}},
		{"epithet", "Taiwan held drills in May. The island nation signed a defence cooperation agreement with the United States in 2023.", []string{"TWN>USA military_cooperation_agreement 2023"}},
		{"epithet needs an antecedent", "The island nation signed a defence pact with Japan in 2023.", []string{"!*>JPN military_cooperation_agreement -"}},
		{"institutions and capitals", "Seoul's defence ministry condemned Pyongyang's missile launch on 5 May 2024.", []string{"KOR>PRK condemnation 2024-05-05"}},
		{"institutions and capitals", "Ankara imposed sanctions on Israel in 2024, and the Kremlin recognised the Taliban government in July 2025.", []string{"TUR>ISR sanctions 2024", "RUS>AFG recognition 2025-07"}},
		// modality
		{"blocked", "Slovakia blocked the EU's new sanctions package against Russia.", []string{"!EU>RUS sanctions -", "!SVK>RUS sanctions -"}},
		{"vetoed", "Russia vetoed a resolution to impose an arms embargo on Syria.", []string{"!RUS>SYR sanctions -"}},
		{"hedge in pattern", "The government of Mali appears to have collapsed after the coup.", []string{"!MLI>* regime_change -"}},
		{"past decision", "In 2008 Nicaragua decided to recognise Abkhazia.", []string{"NIC>RUS recognition 2008"}},
		{"intention stays", "Armenia plans to recognise the independence of Kosovo next year.", []string{"!ARM>* recognition -"}},
		{"attribution is no party", "North Korea has sent troops to Russia, South Korean officials said on Tuesday.", []string{"PRK>RUS troop_deployment -", "!PRK>KOR troop_deployment -"}},
		{"invasion needs territory", "Protesters invaded Danish diplomatic posts in 2006.", []string{"!*>DNK invasion -"}},
		{"invasion needs territory", "Iraq invaded Kuwaiti territory in August 1990.", []string{"IRQ>KWT invasion 1990-08"}},
		{"incursion", "Ukraine launched an incursion into Russia in August 2024.", []string{"UKR>RUS invasion 2024-08"}},
		{"normalise", "Sudan and Israel agreed to normalize relations in October 2020.", []string{"SDN>ISR recognition 2020-10", "ISR>SDN recognition 2020-10"}},
		{"claim is not secession", "Spain recognised Morocco's sovereignty claim in 2022.", []string{"ESP>MAR recognition 2022"}},
		{"intro adverb", "Shortly after the Iranian announcement, Saudi media confirmed the deal. The kingdom later expelled Iranian diplomats in 2016.", []string{"SAU>IRN diplomatic_break 2016", "!IRN>* diplomatic_break -"}},
		{"security agreement", "Australia and Papua New Guinea signed a security agreement in December 2023.", []string{"AUS>PNG military_cooperation_agreement 2023-12"}},
		{"security agreement", "Fiji signed a security cooperation pact with Australia in 2022.", []string{"FJI>AUS military_cooperation_agreement 2022"}},
		{"strikes without a weapon word", "Israel carried out strikes against Hezbollah positions in Lebanon in September 2024.", []string{"ISR>LBN strike 2024-09"}},
		{"strikes without a weapon word", "Pakistan carried out strikes on militant hideouts in Iran in January 2024.", []string{"PAK>IRN strike 2024-01"}},
		// dates
		{"report date", "Finland said on Tuesday that it had joined NATO.", []string{"FIN>NATO membership_join -"}},
		{"report date", "Japan and Australia signed a defence pact, officials told reporters on Monday.", []string{"JPN>AUS military_cooperation_agreement -"}},
		{"validity period", "Kazakhstan and Turkey signed a military cooperation plan for 2024-2025 on 8 November 2023.", []string{"KAZ>TUR military_cooperation_agreement 2023-11-08"}},
		{"relative offset", "Russia and Belarus signed a defence pact in March 2021.\nA year later, Belarus sent troops to Russia.", []string{"BLR>RUS troop_deployment -"}},
		{"other paragraph", "Estonia joined NATO in March 2004.\n\nLatvia expelled Russian diplomats.", []string{"LVA>RUS diplomatic_break -"}},
		// kinds and counterparts
		{"breakaway toward patron", "Venezuela recognised Abkhazia and South Ossetia in September 2009.", []string{"VEN>RUS recognition 2009-09"}},
		{"patron's own recognition", "Russia recognised Abkhazia in August 2008.", []string{"RUS>GEO recognition 2008-08"}},
		{"support cue", "Iran carried out drone strikes in Syria in support of Damascus in 2016.", []string{"IRN>SYR troop_deployment 2016", "!IRN>SYR strike 2016"}},
		{"alongside", "Belarusian soldiers trained alongside Russian troops in February 2022.", []string{"BLR>RUS troop_deployment 2022-02"}},
		{"request", "France began a military intervention in Mali at the request of the Malian government in January 2013.", []string{"FRA>MLI troop_deployment 2013-01"}},
		{"accession process", "Moldova's parliament voted for a law on starting the process of accession to the EU in 2022.", []string{"MDA>EU accession_application 2022", "!MDA>EU membership_join 2022"}},
		{"backed regime", "The Iran-backed government of Yemen fell in 2015.", []string{"YEM>IRN regime_change 2015"}},
		{"hyphen adjective", "Putin signed treaties to annex four Moscow-occupied Ukrainian regions in 2022.", []string{"RUS>UKR annexation 2022", "!RUS>UKR invasion 2022"}},
		{"strike possessor", "Ukraine struck Russia's oil refineries and airfields in August 2024.", []string{"UKR>RUS strike 2024-08"}},
		{"seizure inside", "Russia seized three Ukrainian naval vessels in the Kerch Strait in November 2018.", []string{"RUS>UKR seizure 2018-11"}},
	} {
		acts := Default().Read(tc.text, Options{Date: at})
		got := map[string]bool{}
		var list []string
		for _, a := range acts {
			if a.Kind == "" || a.Modality != Asserted {
				continue
			}
			d := dateString(a.Date)
			if d == "" {
				d = "-"
			}
			k := a.Actor + ">" + a.Counterpart + " " + a.Kind + " " + d
			got[k] = true
			list = append(list, k)
		}
		for _, w := range tc.want {
			if neg, ok := strings.CutPrefix(w, "!"); ok {
				for k := range got {
					if matchKey(neg, k) {
						t.Errorf("%s: %q: asserted %s (got %v)", tc.rule, tc.text, k, list)
					}
				}
				continue
			}
			if !got[w] {
				t.Errorf("%s: %q: missing %s (got %v)", tc.rule, tc.text, w, list)
			}
		}
	}
}

// matchKey compares "A>B kind date" with * for any counterpart and - for any date.
func matchKey(pat, k string) bool {
	pw, kw := strings.Fields(pat), strings.Fields(k)
	pa, pc, _ := strings.Cut(pw[0], ">")
	ka, kc, _ := strings.Cut(kw[0], ">")
	return (pa == "*" || pa == ka) && (pc == "*" || pc == kc) && pw[1] == kw[1] && (pw[2] == "-" || pw[2] == kw[2])
}

// TestMainEventRules checks, on sentences written for this test, the rules that touch
// the PLOVER coding of a sentence's main event (the act event data sets score).
func TestMainEventRules(t *testing.T) {
	for _, tc := range []struct {
		rule, text, want string // want: "SRC>TGT PLOVER" of the main event
	}{
		{"fronted phrase", "Despite warnings from the UN, Israel refused to lift the blockade of Gaza.", "ISR>PSE REJECT"},
		{"fronted phrase", "After talks in Paris, France and Germany signed a treaty on defence.", "FRA>DEU SUPPORT"},
		{"boycott", "Ghana said it would boycott the summit in Nigeria.", "GHA>NGA THREATEN"},
		{"boycott", "Lithuania will boycott the games in China.", "LTU>CHN THREATEN"},
		{"thousands separator", "Turkey sent 3,000 troops to Qatar.", "TUR>QAT AID"},
		{"thousands separator", "The United Nations will provide 12,000 tons of food aid to Sudan.", "IGO>SDN AGREE"},
		{"complaint about", "Greece complained to the EU about Turkish drilling.", "GRC>TUR ACCUSE"},
		{"complaint about", "Cyprus protested to the UN over Turkish troops.", "CYP>TUR PROTEST"},
		{"name inside the pattern", "A deployment of French troops arrived in Mali.", "FRA>MLI AID"},
		{"pronoun after a reporting verb", "Serbia says it is willing to withdraw its troops from Kosovo.", "SRB>XKX AGREE"},
	} {
		got := ""
		for _, a := range Default().Sentence(tc.text, Options{All: true}) {
			if a.Main && got == "" {
				tgt := a.Counterpart
				if tgt == "" {
					tgt = a.Actor
				}
				got = evalCode(a.Actor) + ">" + evalCode(tgt) + " " + a.Plover
			}
		}
		if got != tc.want {
			t.Errorf("%s: %q: main event %q, want %q", tc.rule, tc.text, got, tc.want)
		}
	}
}
