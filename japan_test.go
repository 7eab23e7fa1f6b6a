package nakamawashi_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestCorporateNumber(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"7000012050002", "7000012050002", true},
		{"1180301018771", "1180301018771", true},
		{"７０００－０１２０－５０００２", "7000012050002", true},
		{"7000-0120-50002", "7000012050002", true},
		{"8000012050002", "8000012050002", false}, // wrong check digit
		{"700001205000", "700001205000", false},   // 12 digits
		{"70000120500021", "70000120500021", false},
		{"700001205000a", "", false},
		{"", "", false},
	} {
		got, ok := nakamawashi.NormalizeCorporateNumber(tt.in)
		if ok != tt.ok || (tt.want != "" && got != tt.want) {
			t.Errorf("NormalizeCorporateNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if got := nakamawashi.CorporateCheckDigit("000012050002"); got != '7' {
		t.Errorf("CorporateCheckDigit = %c; want 7", got)
	}
}

func TestRegistrationNumber(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"T7000012050002", "T7000012050002", true},
		{"t1180301018771", "T1180301018771", true},
		{"Ｔ７００００１２０５０００２", "T7000012050002", true},
		{"7000012050002", "7000012050002", false},
		{"T8000012050002", "T8000012050002", false},
		{"T", "T", false},
	} {
		got, ok := nakamawashi.NormalizeRegistrationNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeRegistrationNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizePostalAndPhone(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"〒144-0051", "1440051", true},
		{"１４４－００５１", "1440051", true},
		{"144-005", "144005", false},
		{"abc", "", false},
	} {
		got, ok := nakamawashi.NormalizePostalCode(tt.in)
		if ok != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("NormalizePostalCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if got := nakamawashi.FormatPostalCode("1440051"); got != "〒144-0051" {
		t.Errorf("FormatPostalCode = %q", got)
	}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"03-3741-1234", "03-3741-1234", true},
		{"０３（３７４１）１２３４", "03-3741-1234", true},
		{"0294-22-1111", "0294-22-1111", true},
		{"090 1234 5678", "09012345678", true},
		{"3741-1234", "3741-1234", false},
		{"03-3741-1234 内線5", "", false},
	} {
		got, ok := nakamawashi.NormalizePhone(tt.in)
		if ok != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeKana(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"やまだせいさくしょ", "ヤマダセイサクショ", true},
		{"ﾔﾏﾀﾞｾｲｻｸｼｮ", "ヤマダセイサクショ", true},
		{"カブシキガイシャ ＡＢＣ", "カブシキガイシャ ABC", true},
		{"山田製作所", "山田製作所", false},
	} {
		got, ok := nakamawashi.NormalizeKana(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeKana(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func validCompany() *nakamawashi.Company {
	return &nakamawashi.Company{
		Kind: nakamawashi.KindMember, Name: "株式会社山田製作所", NameKana: "やまだせいさくしょ",
		CorporateNumber: "7000012050002", RegistrationNumber: "T7000012050002",
		PostalCode: "１４４－００３３", Prefecture: "東京都", City: "大田区", Street: "東糀谷2丁目14番5号",
		Phone: "03-3741-1234", Fax: "03-3741-1235",
	}
}

func TestCompanyValidate(t *testing.T) {
	c := validCompany()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate() = %v; want nil", err)
	}
	if c.PostalCode != "1440033" || c.NameKana != "ヤマダセイサクショ" || c.Region != "大田区" {
		t.Errorf("normalized = %q %q %q", c.PostalCode, c.NameKana, c.Region)
	}

	for _, tt := range []struct {
		field  string
		mutate func(c *nakamawashi.Company)
		key    string
	}{
		{"corporate_number", func(c *nakamawashi.Company) { c.CorporateNumber = "8000012050002"; c.RegistrationNumber = "" }, "err.company.corporate_number_check"},
		{"corporate_number", func(c *nakamawashi.Company) { c.CorporateNumber = "12345"; c.RegistrationNumber = "" }, "err.company.corporate_number_length"},
		{"registration_number", func(c *nakamawashi.Company) { c.RegistrationNumber = "T1180301018771" }, "err.company.registration_mismatch"},
		{"prefecture", func(c *nakamawashi.Company) { c.Prefecture = "東京" }, "err.company.prefecture"},
		{"postal_code", func(c *nakamawashi.Company) { c.PostalCode = "144" }, "err.company.postal_code"},
		{"name", func(c *nakamawashi.Company) { c.Name = "" }, "err.required"},
		{"name_kana", func(c *nakamawashi.Company) { c.NameKana = "山田" }, "err.company.kana"},
		{"kind", func(c *nakamawashi.Company) { c.Kind = "friend" }, "err.company.kind"},
		{"phone", func(c *nakamawashi.Company) { c.Phone = "12" }, "err.phone"},
		{"email", func(c *nakamawashi.Company) { c.Email = "not an email" }, "err.email"},
		{"name", func(c *nakamawashi.Company) { c.Name = "a\x00b" }, "err.text_max"},
	} {
		c := validCompany()
		tt.mutate(c)
		err := c.Validate()
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("%s: code = %q; want invalid", tt.key, nakamawashi.ErrorCode(err))
			continue
		}
		var e *nakamawashi.Error
		if !asError(err, &e) || e.Fields[tt.field].Key != tt.key {
			t.Errorf("%s: fields = %v; want %s = %s", tt.field, e.Fields, tt.field, tt.key)
		}
	}
}

func TestNetworkIsRegional(t *testing.T) {
	n := nakamawashi.Network{HomeRegion: "大田区"}
	if n.IsRegional(&nakamawashi.Company{Region: "大田区"}) {
		t.Error("大田区 is regional; want home")
	}
	if !n.IsRegional(&nakamawashi.Company{Region: "日立市"}) {
		t.Error("日立市 is home; want regional")
	}
}

func TestFormatNumber(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 999: "999", 1000: "1,000", 70333: "70,333", 1234567: "1,234,567",
		-5000: "-5,000", -999: "-999", 9223372036854775807: "9,223,372,036,854,775,807",
	} {
		if got := nakamawashi.FormatNumber(n); got != want {
			t.Errorf("FormatNumber(%d) = %q; want %q", n, got, want)
		}
	}
}
