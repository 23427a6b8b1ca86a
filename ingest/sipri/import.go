package sipri

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// File is one input file of an import (inputfile: digested, then read and checked).
type File = inputfile.File

// Result accounts for one file: the store's Imported + Quarantined + Duplicate equals Read.
type Result struct {
	File     entente.ImportFile
	Read     int64
	Coverage Coverage
	Parties  map[string]int // deals per party kind of the supplier or recipient that is not a state
	Notes    []string
}

// names maps SIPRI's spellings that the registry does not carry as names or aliases to
// a registry query (an ISO3 code, or "cow:" and a COW letter code for a state line whose
// spells the date picks), resolved at the deal's dates. SIPRI writes "Viet Nam" for
// North Vietnam before 1976 as for Vietnam after, and "Serbia" for the Federal Republic
// of Yugoslavia as for Serbia.
var names = map[string]string{
	"East Germany (GDR)":                "DDR",
	"Turkiye":                           "TUR",
	"UAE":                               "ARE",
	"DR Congo":                          "COD",
	"eSwatini":                          "SWZ",
	"Viet Nam":                          "cow:DRV",
	"Bosnia-Herzegovina":                "BIH",
	"Saint Vincent":                     "VCT",
	"North Yemen":                       "cow:YAR",
	"Yemen Arab Republic (North Yemen)": "cow:YAR",
	"South Yemen":                       "cow:YPR",
	"South Vietnam":                     "cow:RVN",
	"Serbia":                            "cow:YUG",
	"Cabo Verde":                        "CPV",
	"Timor-Leste":                       "TLS",
}

// PartyKind classifies a SIPRI party name: "**" multinational, "*" non-state, "unknown
// ..." unknown, otherwise a state.
func PartyKind(name string) string {
	switch {
	case strings.HasSuffix(name, "**"):
		return entente.PartyMultilateral
	case strings.HasSuffix(name, "*"):
		return entente.PartyNonState
	case strings.HasPrefix(strings.ToLower(name), "unknown"):
		return entente.PartyUnknown
	}
	return entente.PartyState
}

// resolver finds the registry state of a SIPRI name at a deal's dates, caching by name
// and year.
type resolver struct {
	reg   entente.CountryService
	cache map[string]entente.Country
}

type nameYear struct {
	name string
	year int
}

// state resolves name at the first of years it exists (1 July, then 31 December, then
// 1 January of each).
func (r *resolver) state(name string, years []int) (entente.Country, bool) {
	for _, y := range years {
		key := fmt.Sprintf("%s\x00%d", name, y)
		if c, ok := r.cache[key]; ok {
			if c.ID != "" {
				return c, true
			}
			continue
		}
		var found entente.Country
		for _, d := range []time.Time{time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC),
			time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)} {
			var c entente.Country
			var ok bool
			if q, has := names[name]; has {
				var err error
				c, err = r.reg.Resolve(q, d)
				ok = err == nil
			} else {
				c, ok = r.reg.ByName(name, d)
			}
			if ok {
				found = c
				break
			}
		}
		r.cache[key] = found
		if found.ID != "" {
			return found, true
		}
	}
	return entente.Country{}, false
}

// Import maps trade-register files into w. Each deal becomes an entente.ArmsDeal whose
// state parties are resolved through reg at the deal's dates (order year, then the
// delivery years); non-state, multinational and unknown parties are kept as such and
// counted, never forced onto a state. A deal naming a state the registry does not know
// at those dates is quarantined with the name, and so is each *BadRow. A deal's key is a
// digest of its text plus how many identical deals came before it in the file, so a
// re-import adds nothing while identical deals in one file are all kept.
func Import(ctx context.Context, w entente.ConflictWriter, reg entente.CountryService, files []File) ([]Result, error) {
	res := &resolver{reg: reg, cache: map[string]entente.Country{}}
	return inputfile.Each(ctx, "sipri", files, func(f File) (Result, error) { return importFile(ctx, w, res, f) })
}

func importFile(ctx context.Context, w entente.ConflictWriter, res *resolver, f File) (Result, error) {
	var cov Coverage
	parties := map[string]int{}
	acc, err := inputfile.Stream(ctx, w, f, entente.SourceSIPRI, func(tee io.Reader, info entente.ImportFile) (int64, []string, error) {
		var read int64
		unresolved := map[string]int{}
		seen := map[string]int{}
		quarantine := func(line int, field, reason, raw string) error {
			return w.Quarantine(entente.Quarantined{Source: entente.SourceSIPRI, File: f.Path, SHA256: info.SHA256,
				Line: line, Field: field, Reason: reason, Raw: raw})
		}
		var err error
		cov, err = Read(tee, f.Path, func(r Record) error {
			read++
			if read%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			switch r := r.(type) {
			case *BadRow:
				return quarantine(r.Err.Line, r.Err.Field, r.Err.Error(), r.Raw)
			case *Row:
				years := append([]int{r.OrderYear}, r.DeliveryYears...)
				var ps [2]entente.ArmsParty
				for i, name := range []string{r.Recipient, r.Supplier} {
					p := entente.ArmsParty{Name: name, Kind: PartyKind(name)}
					if p.Kind == entente.PartyState {
						c, ok := res.state(name, years)
						if !ok {
							unresolved[name]++
							field := Header[i]
							return quarantine(r.Line, field, fmt.Sprintf("%s:%d: %s: %v: %q is no registry state in %d-%d",
								f.Path, r.Line, field, entente.ErrUnknownState, name, slices.Min(years), slices.Max(years)), truncate(r.Text))
						}
						p.State, p.CCode = c.ID, c.COW
					} else {
						parties[p.Kind]++
					}
					ps[i] = p
				}
				h := sha256.Sum256([]byte(r.Text))
				key := hex.EncodeToString(h[:12])
				seen[key]++
				if n := seen[key]; n > 1 {
					key = fmt.Sprintf("%s#%d", key, n)
				}
				return w.ArmsDeal(entente.ArmsDeal{Key: key, Recipient: ps[0], Supplier: ps[1],
					OrderYear: r.OrderYear, OrderYearUncertain: r.OrderYearUncertain,
					NumberOrdered: r.NumberOrdered, NumberOrderedUncertain: r.NumberOrderedUncertain,
					Designation: r.Designation, Description: r.Description,
					NumberDelivered: r.NumberDelivered, NumberDeliveredUncertain: r.NumberDeliveredUncertain,
					DeliveryYears: slices.Clone(r.DeliveryYears), Status: r.Status, Comments: r.Comments,
					TIVUnit: r.TIVUnit, TIVOrder: r.TIVOrder, TIVDelivered: r.TIVDelivered, Line: r.Line})
			}
			panic(fmt.Sprintf("BUG: sipri: record of type %T", r))
		})
		if err != nil {
			return 0, nil, err
		}
		var notes []string
		if cov.Rows > 0 {
			notes = append(notes, fmt.Sprintf("SIPRI order and delivery years %d-%d; TIV delivered spread evenly over a deal's delivery years", cov.FirstYear, cov.LastYear))
		}
		if cov.Joined > 0 {
			notes = append(notes, fmt.Sprintf("%d deals split over two lines by a line break in Comments, joined", cov.Joined))
		}
		for _, k := range []string{entente.PartyNonState, entente.PartyMultilateral, entente.PartyUnknown} {
			if parties[k] > 0 {
				notes = append(notes, fmt.Sprintf("%d %s parties kept apart, not counted as states", parties[k], k))
			}
		}
		if len(unresolved) > 0 {
			var list []string
			for n, c := range unresolved {
				list = append(list, fmt.Sprintf("%s (%d)", n, c))
			}
			sort.Strings(list)
			notes = append(notes, "deals quarantined naming no registry state: "+strings.Join(list, ", "))
		}
		return read, notes, nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{File: acc.File, Read: acc.Read, Coverage: cov, Parties: parties, Notes: acc.Notes}, nil
}

func truncate(s string) string {
	if len(s) > 1000 {
		return s[:1000]
	}
	return s
}
