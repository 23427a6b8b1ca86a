package igo

// stateCOW maps the state names of the COW IGO v3 data (the state columns of its wide
// files, kept by manyigos in StateName) to Correlates of War state numbers. The
// stateID column cannot serve: manyigos codes North Korea as KOR, East and West Germany
// as DEU, South Vietnam as VNM and leaves the Dominican Republic, South Africa, the
// Central African Republic, Sierra Leone, St Lucia and East Timor blank
// (docs in igo.go). Numbers from the COW state system list (v2016); the test checks
// each against the country registry.
var stateCOW = map[string]int{
	"usa": 2, "canada": 20, "bahamas": 31, "cuba": 40, "haiti": 41, "domrepublic": 42,
	"jamaica": 51, "trinidad": 52, "barbados": 53, "dominica": 54, "grenada": 55,
	"stlucia": 56, "stvincent": 57, "antiguabarbuda": 58, "stkitts": 60, "mexico": 70,
	"belize": 80, "guatemala": 90, "honduras": 91, "elsalvador": 92, "nicaragua": 93,
	"costarica": 94, "panama": 95, "colombia": 100, "venezuela": 101, "guyana": 110,
	"suriname": 115, "ecuador": 130, "peru": 135, "brazil": 140, "bolivia": 145,
	"paraguay": 150, "chile": 155, "argentina": 160, "uruguay": 165,

	"uk": 200, "ireland": 205, "netherlands": 210, "belgium": 211, "luxembourg": 212,
	"france": 220, "monaco": 221, "liechtenstein": 223, "switzerland": 225, "spain": 230,
	"andorra": 232, "portugal": 235, "bavariaelect": 245, "germany": 255, "wgermany": 260,
	"egermany": 265, "baden": 267, "hessegrand": 275, "poland": 290,
	"austriahungary": 300, "austria": 305, "hungary": 310, "czechoslovakia": 315,
	"czechrep": 316, "slovakia": 317, "italy": 325, "sanmarino": 331, "malta": 338,
	"albania": 339, "montenegro": 341, "fyromacedonia": 343, "croatia": 344,
	"yugoslaviaserb": 345, "bosnia": 346, "kosovo": 347, "slovenia": 349, "greece": 350,
	"cyprus": 352, "bulgaria": 355, "moldova": 359, "romania": 360, "russia": 365,
	"estonia": 366, "latvia": 367, "lithuania": 368, "ukraine": 369, "belarus": 370,
	"armenia": 371, "georgia": 372, "azerbaijan": 373, "finland": 375, "sweden": 380,
	"norway": 385, "denmark": 390, "iceland": 395,

	"capeverde": 402, "saotome": 403, "guineabissau": 404, "eqguinea": 411, "gambia": 420,
	"mali": 432, "senegal": 433, "benin": 434, "mauritania": 435, "niger": 436,
	"ivorycoast": 437, "guinea": 438, "burkinafaso": 439, "liberia": 450,
	"sierraleone": 451, "ghana": 452, "togo": 461, "cameroon": 471, "nigeria": 475,
	"gabon": 481, "car": 482, "chad": 483, "congobrazz": 484, "zaire": 490, "uganda": 500,
	"kenya": 501, "tanzania": 510, "zanzibar": 511, "burundi": 516, "rwanda": 517,
	"somalia": 520, "djibouti": 522, "ethiopia": 530, "eritrea": 531, "angola": 540,
	"mozambique": 541, "zambia": 551, "zimbabwe": 552, "malawi": 553, "soafrica": 560,
	"namibia": 565, "lesotho": 570, "botswana": 571, "swaziland": 572, "madagascar": 580,
	"comoros": 581, "mauritius": 590, "seychelles": 591, "morocco": 600, "algeria": 615,
	"tunisia": 616, "libya": 620, "sudan": 625, "sosudan": 626,

	"iran": 630, "turkey": 640, "iraq": 645, "egypt": 651, "syria": 652, "lebanon": 660,
	"jordan": 663, "israel": 666, "saudiarabia": 670, "nyemen": 678, "yemen": 679,
	"syemen": 680, "kuwait": 690, "bahrain": 692, "qatar": 694, "uae": 696, "oman": 698,

	"afghanistan": 700, "turkmenistan": 701, "tajikistan": 702, "kyrgyzstan": 703,
	"uzbekistan": 704, "kazakhstan": 705, "china": 710, "mongolia": 712, "taiwan": 713,
	"nokorea": 731, "sokorea": 732, "japan": 740, "india": 750, "bhutan": 760,
	"pakistan": 770, "bangladesh": 771, "myanmar": 775, "srilanka": 780, "maldives": 781,
	"nepal": 790, "thailand": 800, "cambodia": 811, "laos": 812, "vietnam": 816,
	"svietnam": 817, "malaysia": 820, "singapore": 830, "brunei": 835,
	"philippines": 840, "indonesia": 850, "etimor": 860,

	"australia": 900, "papuanewguinea": 910, "newzealand": 920, "vanuatu": 935,
	"solomonis": 940, "kiribati": 946, "tuvalu": 947, "fiji": 950, "tonga": 955,
	"nauru": 970, "marshallis": 983, "palau": 986, "micronesiafs": 987, "wsamoa": 990,
}

// COW returns the Correlates of War state number of a COW IGO state name ("usa",
// "soafrica", "wgermany"), or 0 if the name is not one.
func COW(stateName string) int { return stateCOW[stateName] }
