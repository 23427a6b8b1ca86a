package read

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word or punctuation mark of a sentence.
type token struct {
	norm       string // lower case, periods of abbreviations removed ("u.s." -> "us")
	start, end int    // byte offsets in the sentence
	cap        bool   // starts with an upper-case letter
	upper      bool   // two or more letters, all upper case (an acronym)
	punct      bool   // , ; : ( ) or a dash
}

// tokenize splits a sentence into words (letters and digits, with inner periods of
// abbreviations and inner apostrophes) and clause punctuation. A possessive "'s" is its
// own token; hyphens split words ("NATO-member" is "nato", "member").
func tokenize(s string, buf []token) []token {
	toks := buf[:0]
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n2
					continue
				}
				if r2 == ',' && j+3 < len(s) && unicode.IsDigit(r) && isDigitByte(s[j-1]) && isDigitByte(s[j+1]) && isDigitByte(s[j+2]) && isDigitByte(s[j+3]) {
					j++ // a thousands separator: 12,000 is one number
					continue
				}
				if r2 == '.' && j+1 < len(s) && isLetterByte(s[j+1]) && j+2 <= len(s) && (j+2 == len(s) || !isLetterByte(s[j+2]) || s[j+2] == '.') && isAbbrevish(s[i:j]) {
					j += 1 // U.S, U.N
					continue
				}
				break
			}
			// a trailing period of a dotted abbreviation (U.S.)
			if j < len(s) && s[j] == '.' && strings.Contains(s[i:j], ".") {
				j++
			}
			w := s[i:j]
			toks = append(toks, word(w, i, j))
			i = j
			// possessive or contraction
			if i+1 < len(s) && (s[i] == '\'' || strings.HasPrefix(s[i:], "’")) {
				k := i + 1
				if s[i] != '\'' {
					k = i + 3
				}
				if k < len(s) && (s[k] == 's' || s[k] == 'S') && (k+1 == len(s) || !isLetterByte(s[k+1])) {
					toks = append(toks, token{norm: "'s", start: i, end: k + 1})
					i = k + 1
				} else if k < len(s) && (s[k] == 't' || s[k] == 'T') && strings.HasSuffix(strings.ToLower(w), "n") {
					toks[len(toks)-1].norm = strings.TrimSuffix(toks[len(toks)-1].norm, "n")
					toks = append(toks, token{norm: "not", start: i - 1, end: k + 1})
					i = k + 1
				}
			}
		case r == ',' || r == ';' || r == ':' || r == '(' || r == ')' || r == '—' || r == '–':
			toks = append(toks, token{norm: string(r), start: i, end: i + n, punct: true})
			i += n
		default:
			i += n
		}
	}
	return toks
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isAbbrevish reports a one- or two-letter run, which may continue as a dotted
// abbreviation (U.S., U.K., e.g.).
func isAbbrevish(w string) bool {
	w = strings.ReplaceAll(w, ".", "")
	return len(w) <= 3
}

func word(w string, start, end int) token {
	t := token{start: start, end: end}
	lower := strings.ToLower(w)
	if strings.Contains(lower, ".") {
		lower = strings.ReplaceAll(lower, ".", "")
	}
	t.norm = lower
	r, _ := utf8.DecodeRuneInString(w)
	t.cap = unicode.IsUpper(r)
	letters, ups := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				ups++
			}
		}
	}
	t.upper = letters >= 2 && ups == letters
	return t
}

// normTokens splits a dictionary phrase the way tokenize splits text and returns the
// normalised words.
func normTokens(phrase string) []string {
	toks := tokenize(phrase, nil)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, t.norm)
	}
	return out
}
