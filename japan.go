package nakamawashi

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Prefectures lists the 47 prefectures of Japan in JIS X 0401 order.
var Prefectures = []string{
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
	"茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
	"新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
	"静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
	"奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
	"徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
	"熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
}

// IsPrefecture reports whether s is one of the 47 prefectures.
func IsPrefecture(s string) bool {
	for _, p := range Prefectures {
		if p == s {
			return true
		}
	}
	return false
}

// NormalizeWidth folds full-width ASCII (ＳＵＳ３０４, １２３) to half width
// and half-width katakana (ｾﾝﾊﾞﾝ) to full width, as NFKC does, and trims
// surrounding space (including the ideographic space).
func NormalizeWidth(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

// digitsOnly keeps the digits of s after width normalization and removes the
// separators people type between them (hyphens, dashes, spaces, 〒).
func digitsOnly(s string) (string, bool) {
	s = NormalizeWidth(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '〒' || r == 'ー' || r == '−' || r == '‐' || r == '－' || r == '―':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// NormalizeCorporateNumber returns the 13 digits of a 法人番号 as typed
// (full-width digits and separators allowed) and whether it is well formed
// with a correct check digit.
func NormalizeCorporateNumber(s string) (string, bool) {
	d, ok := digitsOnly(s)
	if !ok || len(d) != 13 {
		return d, false
	}
	return d, CorporateNumberValid(d)
}

// CorporateNumberValid verifies the check digit of a 13-digit 法人番号: the
// first digit is 9 − (Σ Pₙ·Qₙ mod 9) over the 12-digit base, Pₙ the n-th digit
// from the right and Qₙ 1 for odd n, 2 for even n.
func CorporateNumberValid(d string) bool {
	if len(d) != 13 {
		return false
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		c := d[13-n]
		if c < '0' || c > '9' {
			return false
		}
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(c-'0') * q
	}
	return d[0] >= '0' && d[0] <= '9' && int(d[0]-'0') == 9-sum%9
}

// CorporateCheckDigit returns the check digit for a 12-digit base, so that
// CheckDigit + base is a valid 法人番号.
func CorporateCheckDigit(base string) byte {
	sum := 0
	for n := 1; n <= 12; n++ {
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(base[12-n]-'0') * q
	}
	return byte('0' + 9 - sum%9)
}

// NormalizeRegistrationNumber returns an 適格請求書 registration number as
// "T" followed by 13 digits and whether it is valid. The digits of a
// corporation's number are its 法人番号, so the same check digit applies.
func NormalizeRegistrationNumber(s string) (string, bool) {
	s = NormalizeWidth(s)
	if s == "" || (s[0] != 'T' && s[0] != 't') {
		return s, false
	}
	d, ok := digitsOnly(s[1:])
	if !ok || len(d) != 13 {
		return "T" + d, false
	}
	return "T" + d, CorporateNumberValid(d)
}

// NormalizePostalCode returns the seven digits of a 郵便番号 typed as
// 〒144-0051, 1440051 or １４４－００５１, and whether it has seven digits.
func NormalizePostalCode(s string) (string, bool) {
	d, ok := digitsOnly(s)
	return d, ok && len(d) == 7
}

// FormatPostalCode renders seven digits as 〒144-0051.
func FormatPostalCode(d string) string {
	if len(d) != 7 {
		return d
	}
	return "〒" + d[:3] + "-" + d[3:]
}

// FormatNumber writes n with thousands separators, as in 1,234,567 or
// -5,000: the way amounts appear on screens and documents.
func FormatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// NormalizePhone returns a Japanese telephone or FAX number in half-width
// digits with hyphens as the person grouped them, and whether it has the 10 or
// 11 digits of a domestic number starting with 0.
func NormalizePhone(s string) (string, bool) {
	s = NormalizeWidth(s)
	var b strings.Builder
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r == '-' || r == 'ー' || r == '−' || r == '‐' || r == '―' || r == '(' || r == ')':
			b.WriteByte('-')
		case r == ' ':
		default:
			return s, false
		}
	}
	out := strings.Trim(b.String(), "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	return out, digits >= 10 && digits <= 11 && strings.HasPrefix(out, "0")
}

// NormalizeKana returns a フリガナ in full-width katakana: hiragana become
// katakana, half-width katakana become full width. It reports whether the
// result is made only of katakana, the long-vowel mark, middle dot, spaces
// and the Latin letters and digits some company names carry.
func NormalizeKana(s string) (string, bool) {
	s = NormalizeWidth(s)
	var b strings.Builder
	ok := true
	for _, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ':
			r += 'ァ' - 'ぁ'
		case r >= 'ァ' && r <= 'ヺ', r == 'ー', r == '・', r == ' ', r == '　', r == 'ヽ', r == 'ヾ':
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' || r == '.' || r == '-'):
		default:
			ok = false
		}
		b.WriteRune(r)
	}
	return b.String(), ok
}

// HiraganaToKatakana maps hiragana to katakana and leaves everything else.
func HiraganaToKatakana(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'ぁ' && r <= 'ゖ' {
			return r + 'ァ' - 'ぁ'
		}
		return r
	}, s)
}

// validText trims s and reports whether it is valid UTF-8 of at most max
// characters without control characters.
func validText(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return s, false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return s, false
		}
	}
	return s, true
}

// validLines is validText for multi-line text: line breaks and tabs are
// allowed, other control characters are not.
func validLines(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}
