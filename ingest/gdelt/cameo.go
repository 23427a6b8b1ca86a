package gdelt

import (
	_ "embed"
	"strconv"
	"strings"
)

//go:generate go run cameo/gen.go

//go:embed cameo/eventcodes.tsv
var eventCodesTSV string

// cameoCode is one CAMEO event code of the embedded table.
type cameoCode struct {
	code      string
	desc      string
	goldstein float64
}

var (
	cameoCodes []cameoCode
	// cameoIndex maps codeKey(code) to 1 + the code's index in cameoCodes; 0 is unknown.
	cameoIndex [5 * 10000]uint16
)

func init() {
	for line := range strings.Lines(eventCodesTSV) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		g, err := strconv.ParseFloat(f[1], 64)
		k := codeKey([]byte(f[0]))
		if len(f) != 3 || err != nil || k < 0 || cameoIndex[k] != 0 {
			panic("BUG: gdelt: bad line in cameo/eventcodes.tsv: " + line)
		}
		cameoCodes = append(cameoCodes, cameoCode{f[0], f[2], g})
		cameoIndex[k] = uint16(len(cameoCodes))
	}
}

// codeKey maps a code of 2 to 4 digits to a unique index below 5*10000 (the length
// tells "01" from "001"), or -1.
func codeKey(b []byte) int {
	if len(b) < 2 || len(b) > 4 {
		return -1
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return len(b)*10000 + v
}

// lookupCode returns the table entry of a code, or nil. It does not allocate.
func lookupCode(b []byte) *cameoCode {
	k := codeKey(b)
	if k < 0 || cameoIndex[k] == 0 {
		return nil
	}
	return &cameoCodes[cameoIndex[k]-1]
}

// EventCode returns the description and Goldstein scale value of a CAMEO event code
// ("01", "043", "1056": two to four digits, leading zeros kept), and whether the code
// is one of CAMEO's 311 (root, base and leaf codes alike). The table is embedded from
// GDELT's lookup files; see cameo/README.md.
func EventCode(code string) (desc string, goldstein float64, ok bool) {
	c := lookupCode([]byte(code))
	if c == nil {
		return "", 0, false
	}
	return c.desc, c.goldstein, true
}

// EventCodes returns every CAMEO event code of the embedded table, in code order.
func EventCodes() []string {
	out := make([]string, len(cameoCodes))
	for i, c := range cameoCodes {
		out[i] = c.code
	}
	return out
}

// Quad classes: GDELT's four-way grouping of CAMEO root codes (its QuadClass column).
const (
	VerbalCooperation   int8 = 1 // roots 01-05: statements, appeals, intents, consultation, diplomatic cooperation
	MaterialCooperation int8 = 2 // roots 06-09: material cooperation, aid, yielding, investigation
	VerbalConflict      int8 = 3 // roots 10-14: demands, disapproval, rejection, threats, protest
	MaterialConflict    int8 = 4 // roots 15-20: force posture, reduced relations, coercion, assault, fighting, mass violence
)

// QuadClass returns the quad class of a CAMEO root code ("01" to "20"), or 0 for
// anything else. The grouping is the one of GDELT's lookup file CAMEO.eventcodes.txt
// (its headings 1-4) and of every row in the staged real files: investigate (09) is
// material cooperation and protest (14) verbal conflict, not the 01-05 / 06-08 / 09-13 /
// 14-20 split sometimes quoted.
func QuadClass(root string) int8 {
	k := codeKey([]byte(root))
	if len(root) != 2 || k < 0 {
		return 0
	}
	return quadOfRoot(k - 20000)
}

func quadOfRoot(r int) int8 {
	switch {
	case r >= 1 && r <= 5:
		return VerbalCooperation
	case r >= 6 && r <= 9:
		return MaterialCooperation
	case r >= 10 && r <= 14:
		return VerbalConflict
	case r >= 15 && r <= 20:
		return MaterialConflict
	}
	return 0
}
