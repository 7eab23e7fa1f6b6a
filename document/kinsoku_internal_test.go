package document

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// cells measures a full-width character as 1 and an ASCII one as 0.5, as a
// monospaced Japanese font does.
func cells(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"fits", "仲間まわし", 10, []string{"仲間まわし"}},
		{"plain", "あいうえおかきくけこ", 4, []string{"あいうえ", "おかきく", "けこ"}},
		// 。 would start line 2: the character before it goes along (追い出し).
		{"no 。 at start", "あいうえ。かき", 4, []string{"あいう", "え。かき"}},
		{"no 、 at start", "加工して、検査", 4, []string{"加工し", "て、検査"}},
		{"no 」 at start", "「旋盤」加工", 3, []string{"「旋", "盤」加", "工"}},
		{"no small kana at start", "カットして", 2, []string{"カッ", "トし", "て"}},
		{"no ー at start", "ボーリング", 2, []string{"ボー", "リン", "グ"}},
		{"too narrow for 禁則", "ボーリング", 1, nil}, // breaks anywhere rather than overflow
		{"no （ at end", "材質（SUS）", 4, []string{"材質", "（SUS）"}},
		{"no 「 at end", "品名「軸」", 3, []string{"品名", "「軸」"}},
		{"latin word kept", "材質 SUS304 で", 4, []string{"材質", "SUS304", "で"}},
		{"long word broken", "ABCDEFGHIJ", 2, []string{"ABCD", "EFGH", "IJ"}},
		{"newlines kept", "一行目\n\n三行目", 10, []string{"一行目", "", "三行目"}},
		{"spaces dropped at break", "ab cd ef", 2, []string{"ab", "cd", "ef"}},
		{"ideographic space kept", "　字下げ", 10, []string{"　字下げ"}},
		{"empty", "", 5, []string{""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.text, tt.width, cells)
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
			if strings.Join(got, "") != strings.NewReplacer(" ", "", "\n", "").Replace(tt.text) && !strings.Contains(tt.text, " ") {
				t.Errorf("wrap(%q) lost text: %q", tt.text, got)
			}
			for i, l := range got {
				if cells(l) > tt.width && utf8.RuneCountInString(l) > 1 && tt.width >= 2 {
					t.Errorf("line %d %q is wider than %v", i, l, tt.width)
				}
				if r, _ := utf8.DecodeRuneInString(l); i > 0 && l != "" && isNoStart(r) && tt.width >= 2 {
					t.Errorf("line %d %q starts with %q", i, l, r)
				}
				if r, _ := utf8.DecodeLastRuneInString(l); l != "" && isNoEnd(r) {
					t.Errorf("line %d %q ends with %q", i, l, r)
				}
			}
		})
	}
}
