package read

import (
	"bytes"
	"errors"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input errors. Prepare wraps them; the command line reports them as bad input.
var (
	ErrEmpty  = errors.New("no text: the input is empty or only white space")
	ErrBinary = errors.New("binary input: not text or HTML")
)

// MaxSentence bounds a sentence in bytes. Text with no boundary for longer than this
// (a table flattened into one line, a binary blob) is cut at the last space before the
// bound, so that coding time stays linear in the input.
const MaxSentence = 2000

// Prepare turns raw input into plain text: it refuses empty and binary input, replaces
// invalid UTF-8 sequences with U+FFFD and strips HTML markup when the input looks like
// HTML. It runs in time linear in the input.
func Prepare(data []byte) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	if isBinary(data) {
		return "", ErrBinary
	}
	s := string(data)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if looksHTML(s) {
		s = StripHTML(s)
		if strings.TrimSpace(s) == "" {
			return "", ErrEmpty
		}
	}
	return s, nil
}

// isBinary reports NUL bytes or mostly control bytes in the first 8 KiB.
func isBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*10 > len(head)
}

func looksHTML(s string) bool {
	head := strings.ToLower(s[:min(len(s), 4096)])
	for _, t := range []string{"<html", "<!doctype html", "<body", "<p>", "<p ", "<div", "<article", "<br"} {
		if strings.Contains(head, t) {
			return true
		}
	}
	return false
}

// blockTags end a paragraph when stripped.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "tr": true, "td": true, "th": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "title": true, "article": true, "section": true,
	"blockquote": true, "header": true, "footer": true, "ul": true, "ol": true, "table": true, "figcaption": true,
}

// StripHTML removes markup, comments, scripts and styles, decodes entities and puts a
// paragraph break where a block element starts or ends. Unclosed tags are dropped to
// the end of the input; the scan is linear.
func StripHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	text := 0 // start of pending text
	flush := func(end int) {
		if end > text {
			b.WriteString(html.UnescapeString(s[text:end]))
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '<' {
			i++
			continue
		}
		flush(i)
		if strings.HasPrefix(s[i:], "<!--") {
			j := strings.Index(s[i+4:], "-->")
			if j < 0 {
				return b.String()
			}
			i += 4 + j + 3
			text = i
			continue
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return b.String()
		}
		closing := strings.HasPrefix(s[i+1:], "/")
		tag := tagName(s[i+1 : i+j])
		i += j + 1
		switch tag {
		case "script", "style", "noscript", "svg":
			if closing {
				break
			}
			end := indexFold(s[i:], "</"+tag)
			if end < 0 {
				return b.String()
			}
			i += end
		}
		if blockTags[tag] {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
		text = i
	}
	flush(len(s))
	return b.String()
}

func tagName(t string) string {
	t = strings.TrimPrefix(t, "/")
	end := 0
	for end < len(t) && (t[end] >= 'a' && t[end] <= 'z' || t[end] >= 'A' && t[end] <= 'Z' || t[end] >= '0' && t[end] <= '9') {
		end++
	}
	return strings.ToLower(t[:end])
}

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// Sentence is one sentence of a text, its byte offset in it and the 0-based index of
// its paragraph (paragraphs are separated by blank lines).
type Sentence struct {
	Text      string
	Start     int
	Paragraph int
}

// abbreviations do not end a sentence when followed by a period (compared lower-case,
// without the period).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "gen": true, "lt": true, "col": true,
	"maj": true, "capt": true, "cpt": true, "sgt": true, "adm": true, "cmdr": true, "sen": true, "rep": true,
	"gov": true, "pres": true, "st": true, "jr": true, "sr": true, "rev": true, "hon": true, "amb": true,
	"vs": true, "etc": true, "no": true, "nos": true, "inc": true, "co": true, "corp": true, "ltd": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "approx": true, "est": true,
	"u.s": true, "u.n": true, "u.k": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true, "mt": true,
	"ft": true, "fig": true, "art": true, "para": true, "op": true, "vol": true,
}

// Split calls fn with each sentence of text, in order, until fn returns false. A
// sentence ends at '.', '!' or '?' (with any closing quotes or brackets) followed by
// space and a capital letter, a digit or an opening quote, unless the word before the
// period is an abbreviation or an initial; a blank line also ends one. A sentence longer
// than MaxSentence is cut. Time is linear in len(text).
func Split(text string, fn func(Sentence) bool) {
	start := skipSpace(text, 0)
	para, emitted, newPara := 0, false, false
	emit := func(end int) bool {
		s := strings.TrimSpace(text[start:end])
		if s == "" {
			return true
		}
		if newPara && emitted {
			para++
		}
		newPara, emitted = false, true
		off := start + strings.Index(text[start:end], s)
		return fn(Sentence{Text: s, Start: off, Paragraph: para})
	}
	for i := start; i < len(text); {
		if i-start >= MaxSentence {
			cut := strings.LastIndexByte(text[start:i], ' ')
			if cut <= 0 {
				cut = i - start
				for cut > 1 && !utf8.RuneStart(text[start+cut]) {
					cut--
				}
				if cut <= 1 {
					cut = i - start // no rune start at all (invalid UTF-8): cut bytes
				}
			}
			if !emit(start + cut) {
				return
			}
			start = skipSpace(text, start+cut)
			i = start
			continue
		}
		c := text[i]
		switch {
		case c == '\n' && paragraphBreak(text, i):
			if !emit(i) {
				return
			}
			newPara = true
			start = skipSpace(text, i)
			i = start
			continue
		case c == '.' || c == '!' || c == '?':
			end := i + 1
			for end < len(text) && strings.IndexByte(".!?", text[end]) >= 0 {
				end++
			}
			end = skipClosers(text, end)
			if boundaryAfter(text, end) && (c != '.' || !abbreviationBefore(text, start, i)) {
				if !emit(end) {
					return
				}
				start = skipSpace(text, end)
				if strings.Count(text[end:start], "\n") >= 2 {
					newPara = true // the sentence ended its paragraph
				}
				i = start
				continue
			}
			i = end
			continue
		}
		i++
	}
	if start < len(text) {
		emit(len(text))
	}
}

// Sentences returns the sentences of text.
func Sentences(text string) []Sentence {
	var out []Sentence
	Split(text, func(s Sentence) bool { out = append(out, s); return true })
	return out
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// paragraphBreak reports a newline followed by optional spaces and another newline.
func paragraphBreak(s string, i int) bool {
	for j := i + 1; j < len(s) && j < i+64; j++ {
		switch s[j] {
		case '\n':
			return true
		case ' ', '\t', '\r':
			continue
		}
		return false
	}
	return false
}

func skipClosers(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == '"' || s[i] == '\'' || s[i] == ')' || s[i] == ']':
			i++
		case strings.HasPrefix(s[i:], "”") || strings.HasPrefix(s[i:], "’"):
			i += 3
		default:
			return i
		}
	}
	return i
}

// boundaryAfter reports space, then a capital, a digit or an opening quote (or the end).
func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	j := skipSpace(s, i)
	if j == i {
		return false
	}
	if j >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '\'' || r == '‘' || r == '(' || r == '['
}

// abbreviationBefore reports whether the word ending at the period at i is an
// abbreviation or a single capital letter (an initial).
func abbreviationBefore(s string, start, i int) bool {
	j := i
	for j > start && i-j < 12 {
		c := s[j-1]
		if c == ' ' || c == '\n' || c == '\t' || c == '(' || c == '"' {
			break
		}
		j--
	}
	w := s[j:i]
	if w == "" {
		return false
	}
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	return abbreviations[strings.ToLower(w)]
}
