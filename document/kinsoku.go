package document

import (
	"strings"
	"unicode/utf8"
)

// noStart holds the characters that may not begin a line (行頭禁則):
// closing brackets, punctuation, small kana, the long-vowel mark and
// iteration marks.
const noStart = "、。，．,.)]}）］｝〕〉》」』】〙〗〟’”｠»・：；:;!?！？‼⁇⁈⁉ー―…‥〜～゠" +
	"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ" +
	"ゝゞヽヾ々〻%％℃°′″"

// noEnd holds the characters that may not end a line (行末禁則): opening
// brackets and quotes.
const noEnd = "([{（［｛〔〈《「『【〘〖〝‘“｟«"

func isNoStart(r rune) bool { return strings.ContainsRune(noStart, r) }
func isNoEnd(r rune) bool   { return strings.ContainsRune(noEnd, r) }

// isWordRune reports whether r belongs to a run of Latin letters, digits and
// punctuation (SUS304, M6-20, 1,980, ＳＵＳ３０４), which is kept on one line
// like a word.
func isWordRune(r rune) bool {
	return r > ' ' && r < utf8.RuneSelf ||
		r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// wrap breaks text into lines no wider than width, as measured by measure,
// following Japanese line-breaking rules (禁則処理): a line may break between
// any two Japanese characters and at spaces, never inside a Latin word, never
// before a character of noStart and never after one of noEnd. A character
// that may not start a line is carried to the next line together with the
// one before it (追い出し). Explicit newlines are kept; a piece too wide for
// any line is broken where it must. Spaces at a break are dropped.
func wrap(text string, width float64, measure func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		out = append(out, wrapParagraph(para, width, measure)...)
	}
	return out
}

func wrapParagraph(para string, width float64, measure func(string) float64) []string {
	if para == "" {
		return []string{""}
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " \t"))
		cur.Reset()
		curW = 0
	}
	for _, g := range clusters(para) {
		w := measure(g)
		space := isBlank(g)
		switch {
		case curW+w <= width || (space && cur.Len() > 0):
			cur.WriteString(g)
			curW += w
		case space: // a space at the start of a line is dropped
		case w <= width:
			flush()
			cur.WriteString(g)
			curW = w
		default: // wider than a line: break inside it
			if !isBlank(cur.String()) {
				flush()
			} else {
				cur.Reset()
				curW = 0
			}
			for _, r := range g {
				s := string(r)
				rw := measure(s)
				if curW+rw > width && cur.Len() > 0 {
					flush()
				}
				cur.WriteString(s)
				curW += rw
			}
		}
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// clusters splits a paragraph into the pieces a line may not break inside:
// Latin words, single Japanese characters and runs of spaces, with every
// no-start character joined to the piece before it and every no-end
// character to the piece after it.
func clusters(s string) []string {
	var atoms []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case r == ' ' || r == '\t':
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if r2 != ' ' && r2 != '\t' {
					break
				}
				j += n2
			}
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		}
		atoms = append(atoms, s[i:j])
		i = j
	}
	var out []string
	glue := false // the last piece ends with a no-end character
	for _, a := range atoms {
		first, _ := utf8.DecodeRuneInString(a)
		last, _ := utf8.DecodeLastRuneInString(a)
		blank := a[0] == ' ' || a[0] == '\t'
		if len(out) > 0 && !blank && (glue || isNoStart(first)) && !isBlank(out[len(out)-1]) {
			out[len(out)-1] += a
		} else {
			out = append(out, a)
		}
		glue = isNoEnd(last)
	}
	return out
}

// isBlank reports whether a piece is a run of spaces (the ideographic space
// is a character of its own, used to indent, and not a break).
func isBlank(s string) bool { return strings.Trim(s, " \t") == "" }
