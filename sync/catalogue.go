package sync

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/entente/entente"
)

// Kinds of source: how the files of a source are found.
const (
	KindFiles     = "files"     // a fixed list of URLs (Source.Files)
	KindDataverse = "dataverse" // files picked by name from a Dataverse dataset's file listing
	KindGDELT2    = "gdelt2"    // 15-minute files listed in GDELT 2.0's masterfilelist.txt
	KindGDELT1    = "gdelt1"    // GDELT 1.0 event files listed in events/md5sums
)

// Source is one official source in the catalogue.
type Source struct {
	Name     string `json:"name"`  // unvotes, gdelt2, gdelt1, atop, igo, aid
	Title    string `json:"title"` // what it is, in a few words
	Kind     string `json:"kind"`  // one of the Kind* constants
	Dir      string `json:"dir"`   // slash-separated folder under the data dir (and the mirror)
	Homepage string `json:"homepage"`
	License  string `json:"license"`
	Citation string `json:"citation"`

	// Index is the URL of the upstream file list: GDELT 2.0's masterfilelist.txt, the
	// GDELT 1.0 events/ folder (md5sums and filesizes are read from it), or the Dataverse
	// server. Unused for KindFiles.
	Index string `json:"index,omitempty"`
	// DOI names the Dataverse dataset (doi:10.7910/DVN/LEJUQZ).
	DOI string `json:"doi,omitempty"`
	// Pick holds path.Match patterns on the Dataverse file names to fetch.
	Pick []string `json:"pick,omitempty"`
	// Files are the files of a KindFiles source; for a Dataverse source, pinned files
	// used when the file listing cannot be read.
	Files []File `json:"files,omitempty"`
	// Dated sources (GDELT) fetch only the files of a date range.
	Dated bool `json:"dated,omitempty"`
	// Assumed says what about the upstream URLs could not be checked when the catalogue
	// was written; docs/sync.md repeats it.
	Assumed string `json:"assumed,omitempty"`
}

// File is one upstream file and where it goes.
type File struct {
	Path   string `json:"path"`             // slash-separated, relative to the data dir
	URL    string `json:"url"`              // where upstream serves it
	Size   int64  `json:"size,omitempty"`   // bytes as published upstream; 0 if unknown
	MD5    string `json:"md5,omitempty"`    // lowercase hex as published upstream; "" if none
	SHA256 string `json:"sha256,omitempty"` // lowercase hex; "" if none
}

// Verifiable reports whether upstream published anything to check the file against.
func (f File) Verifiable() bool { return f.Size > 0 || f.MD5 != "" || f.SHA256 != "" }

// Upstream URLs of the catalogue. Those marked in Source.Assumed could not be fetched
// from where the catalogue was written.
const (
	GDELT2MasterList = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"
	GDELT1Events     = "http://data.gdeltproject.org/events/"
	HarvardDataverse = "https://dataverse.harvard.edu"
	VoetenDOI        = "doi:10.7910/DVN/LEJUQZ"
)

// Catalogue returns the built-in catalogue of official sources, in sync order. The
// slice is new on every call; callers may change it.
func Catalogue() []Source {
	return []Source{
		{
			Name:     "unvotes",
			Title:    "UN General Assembly roll-call votes (Voeten, Strezhnev & Bailey)",
			Kind:     KindDataverse,
			Dir:      "unvotes",
			Homepage: "https://doi.org/10.7910/DVN/LEJUQZ",
			License:  "CC0 1.0 (Harvard Dataverse terms of the dataset)",
			Citation: `Voeten, Erik; Strezhnev, Anton; Bailey, Michael, 2009, "United Nations General Assembly Voting Data", https://doi.org/10.7910/DVN/LEJUQZ, Harvard Dataverse; Bailey, Strezhnev & Voeten 2017, Journal of Conflict Resolution 61(2):430-456`,
			Index:    HarvardDataverse,
			DOI:      VoetenDOI,
			Pick:     []string{"UNVotes*", "*escription*"},
			Assumed: "file names UNVotes*.csv (votes) and *escription* (roll calls) in the latest published version; " +
				"file ids, sizes and MD5s are read at run time from /api/datasets/:persistentId/versions/:latest-published/files, " +
				"and files are fetched from /api/access/datafile/ID (?format=original for ingested tabular files)",
		},
		{
			Name:     "gdelt2",
			Title:    "GDELT 2.0 event exports and mentions, 15-minute files",
			Kind:     KindGDELT2,
			Dir:      "gdelt/v2",
			Homepage: "https://www.gdeltproject.org/data.html",
			License:  "GDELT terms: free and open for any use, with citation of the GDELT Project",
			Citation: `Leetaru, Kalev & Schrodt, Philip A. 2013, "GDELT: Global Data on Events, Location and Tone, 1979-2012", ISA Annual Convention; The GDELT Project, https://www.gdeltproject.org/`,
			Index:    GDELT2MasterList,
			Dated:    true,
		},
		{
			Name:     "gdelt1",
			Title:    "GDELT 1.0 events: daily files from 2013-04-01, monthly 2006-2013, yearly 1979-2005",
			Kind:     KindGDELT1,
			Dir:      "gdelt/v1",
			Homepage: "http://data.gdeltproject.org/events/index.html",
			License:  "GDELT terms: free and open for any use, with citation of the GDELT Project",
			Citation: `Leetaru, Kalev & Schrodt, Philip A. 2013, "GDELT: Global Data on Events, Location and Tone, 1979-2012", ISA Annual Convention`,
			Index:    GDELT1Events,
			Dated:    true,
			Assumed:  "events/md5sums holds md5sum lines (MD5, two spaces, name) and events/filesizes holds SIZE NAME lines",
		},
		{
			Name:     "atop",
			Title:    "ATOP 5.1 alliance treaty obligations (csv release: members, alliance and dyad-year files)",
			Kind:     KindFiles,
			Dir:      "alliances",
			Homepage: "http://www.atopdata.org/data.html",
			License:  "free for research use with citation (atopdata.org)",
			Citation: `Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell & Andrew G. Long 2002, "Alliance Treaty Obligations and Provisions, 1815-1944", International Interactions 28:237-260; ATOP codebook v5.1 (2022)`,
			Files: []File{{
				Path: "alliances/atop_5.1__.csv_.zip",
				URL:  "http://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip",
			}},
			Assumed: "the upload URL of the 5.1 csv zip, as cited by many scripts; atopdata.org publishes no size or checksum",
		},
		{
			Name:     "igo",
			Title:    "COW Intergovernmental Organizations v3: state-year and IGO-year formats, 1816-2014",
			Kind:     KindFiles,
			Dir:      "igo",
			Homepage: "https://correlatesofwar.org/data-sets/IGOs/",
			License:  "free for research use with citation (Correlates of War Project)",
			Citation: `Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus & Anne Spencer Jamison 2020, "Tracking Organizations in the World: The Correlates of War IGO Version 3.0 Datasets", Journal of Peace Research 57(3):492-503`,
			Files: []File{
				{Path: "igo/state_year_formatv3.zip", URL: "https://correlatesofwar.org/wp-content/uploads/state_year_formatv3.zip"},
				{Path: "igo/igo_year_formatv3.zip", URL: "https://correlatesofwar.org/wp-content/uploads/igo_year_formatv3.zip"},
			},
			Assumed: "igo_year_formatv3.zip is cited by scripts; state_year_formatv3.zip is assumed by analogy; no size or checksum is published",
		},
		{
			Name:     "aid",
			Title:    "Kiel Institute Ukraine Support Tracker (release 30 workbook)",
			Kind:     KindFiles,
			Dir:      "aid",
			Homepage: "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/",
			License:  "free to use with citation (Kiel Institute for the World Economy)",
			Citation: `Trebesch, Christoph et al. 2023, "The Ukraine Support Tracker: Which countries help Ukraine and how?", Kiel Working Paper 2218`,
			Files: []File{{
				Path: "aid/Ukraine_Support_Tracker_Release_30v2.xlsx",
				URL:  "https://www.ifw-kiel.de/fileadmin/Dateiverwaltung/IfW-Publications/fis-import/fa51af99-bb76-4982-a39e-734c08b6467a-Ukraine_Support_Tracker_Release_30v2.xlsx",
			}},
			Assumed: "the workbook URL changes with every release; override it with a catalogue file (docs/sync.md)",
		},
	}
}

// LoadCatalogue reads a JSON array of sources and lays it over base: a source with the
// name of a base source replaces it field by field where the field is set (so a file
// may give only {"name":"aid","files":[...]}); a new name is appended. Errors have code
// EINVALID.
func LoadCatalogue(r io.Reader, base []Source) ([]Source, error) {
	var over []Source
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&over); err != nil {
		return nil, entente.Errorf(entente.EINVALID, "catalogue: %v", err)
	}
	out := append([]Source(nil), base...)
	for _, o := range over {
		if o.Name == "" {
			return nil, entente.Errorf(entente.EINVALID, "catalogue: a source without a name")
		}
		i := indexOf(out, o.Name)
		if i < 0 {
			out = append(out, o)
			i = len(out) - 1
		} else {
			out[i] = overlay(out[i], o)
		}
		if err := out[i].validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func indexOf(srcs []Source, name string) int {
	for i, s := range srcs {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func overlay(b, o Source) Source {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&b.Title, o.Title)
	set(&b.Kind, o.Kind)
	set(&b.Dir, o.Dir)
	set(&b.Homepage, o.Homepage)
	set(&b.License, o.License)
	set(&b.Citation, o.Citation)
	set(&b.Index, o.Index)
	set(&b.DOI, o.DOI)
	set(&b.Assumed, o.Assumed)
	if o.Pick != nil {
		b.Pick = o.Pick
	}
	if o.Files != nil {
		b.Files = o.Files
	}
	b.Dated = b.Dated || o.Dated
	return b
}

func (s Source) validate() error {
	bad := func(format string, args ...any) error {
		return entente.Errorf(entente.EINVALID, "catalogue: source %s: %s", s.Name, fmt.Sprintf(format, args...))
	}
	switch s.Kind {
	case KindFiles, KindDataverse, KindGDELT2, KindGDELT1:
	default:
		return bad("kind %q: want %s, %s, %s or %s", s.Kind, KindFiles, KindDataverse, KindGDELT2, KindGDELT1)
	}
	if err := checkRel(s.Dir); err != nil {
		return bad("dir: %v", err)
	}
	if s.Kind != KindFiles && s.Index == "" {
		return bad("kind %s needs an index URL", s.Kind)
	}
	if s.Kind == KindDataverse && s.DOI == "" {
		return bad("kind %s needs a doi", s.Kind)
	}
	for _, f := range s.Files {
		if err := checkRel(f.Path); err != nil {
			return bad("file %q: %v", f.Path, err)
		}
		if f.URL == "" {
			return bad("file %q has no url", f.Path)
		}
	}
	return nil
}

// checkRel refuses paths that would leave the data dir: absolute, "..", backslashes.
func checkRel(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty path")
	case strings.HasPrefix(p, "/") || strings.Contains(p, `\`) || strings.Contains(p, ":"):
		return fmt.Errorf("want a relative slash-separated path")
	case path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("want a clean path inside the data dir")
	}
	return nil
}

// Select returns the sources named in names (all of srcs when names is empty), in
// catalogue order. An unknown name is an EINVALID error that lists the known ones.
func Select(srcs []Source, names []string) ([]Source, error) {
	if len(names) == 0 {
		return srcs, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		if indexOf(srcs, n) < 0 {
			known := make([]string, len(srcs))
			for i, s := range srcs {
				known[i] = s.Name
			}
			return nil, entente.Errorf(entente.EINVALID, "unknown source %q: want one of %s", n, strings.Join(known, ", "))
		}
		want[n] = true
	}
	var out []Source
	for _, s := range srcs {
		if want[s.Name] {
			out = append(out, s)
		}
	}
	return out, nil
}
