package document_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

func TestAddressee(t *testing.T) {
	for _, tt := range []struct {
		party document.Party
		want  string
	}{
		{document.Party{Name: "株式会社山田製作所"}, "株式会社山田製作所 御中"},
		{document.Party{Name: "株式会社山田製作所", Department: "製造部"}, "株式会社山田製作所 製造部 御中"},
		{document.Party{Name: "株式会社山田製作所", Department: "製造部", Contact: "山田太郎"}, "株式会社山田製作所 製造部 山田太郎 様"},
		{document.Party{Name: "山田太郎", Person: true}, "山田太郎 様"},
		{document.Party{Name: "株式会社山田製作所 御中"}, "株式会社山田製作所 御中"}, // typed honorific not doubled
		{document.Party{Name: "株式会社山田製作所御中", Contact: "山田様"}, "株式会社山田製作所 山田 様"},
		{document.Party{Name: "山田太郎 様", Person: true}, "山田太郎 様"},
	} {
		if got := tt.party.Addressee(); got != tt.want {
			t.Errorf("Addressee(%+v) = %q, want %q", tt.party, got, tt.want)
		}
	}
}

func invoice(n int) *document.Invoice {
	inv := &document.Invoice{Number: "INV-1", Date: issued, Recipient: customer, Issuer: shop, Rounding: nakamawashi.RoundFloor}
	for i := range n {
		rate := nakamawashi.RateStandard
		if i%5 == 4 {
			rate = nakamawashi.RateReduced
		}
		it := item(fmt.Sprintf("部品 %d 切削加工（A5052）、バリ取り・洗浄込み", i+1), int64(i%7+1), int64(1000+37*i), rate)
		it.Date = issued.AddDate(0, 0, -i%28)
		inv.Items = append(inv.Items, it)
	}
	return inv
}

func TestInvoiceInvalid(t *testing.T) {
	inv := invoice(3)
	inv.Issuer.RegistrationNumber = ""
	inv.Recipient.Name = ""
	_, err := inv.Render(document.Options{Seal: []byte("not a png"), Paper: "B5", Dates: "kouki"})
	fields := nakamawashi.ErrorFields(nakamawashi.Japanese, err)
	for _, f := range []string{"issuer.registration_number", "recipient.name", "options.seal", "options.paper", "options.dates"} {
		if fields[f] == "" {
			t.Errorf("no problem reported for %s: %v", f, err)
		}
	}
	inv = invoice(3)
	inv.Issuer.RegistrationNumber = "T8000012050002" // wrong check digit
	if nakamawashi.ErrorFields(nakamawashi.Japanese, inv.Validate())["issuer.registration_number"] == "" {
		t.Error("a registration number with a wrong check digit is accepted")
	}
}

// TestInvoicePages renders 50 dated lines in 和暦, in English and on A5:
// the table breaks across pages and the totals follow it.
func TestInvoicePages(t *testing.T) {
	inv := invoice(50)
	s, err := nakamawashi.TaxSummary(lines(inv.Items), inv.Rounding)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []document.Options{
		{Dates: nakamawashi.DateWareki},
		{Language: nakamawashi.English, Paper: document.A5},
	} {
		pdf, err := inv.Render(opt)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		if n := pages(t, pdf); n < 2 {
			t.Errorf("%+v: %d pages, want the table to break", opt, n)
		}
		want := []string{"部品 50", yen(s.Total), "T7000012050002", "11/21"}
		if opt.Language == nakamawashi.English {
			want = append(want, "Invoice", "Registration No.", "2026-11-21", "Taxable at 8%")
		} else {
			want = append(want, "令和8年11月21日", "8%対象※")
		}
		contains(t, text, want...)
		if !strings.Contains(text, "\f") {
			t.Error("no page break in the text")
		}
	}
}

func lines(items []document.Item) []nakamawashi.Line {
	out := make([]nakamawashi.Line, len(items))
	for i, it := range items {
		out[i] = it.Line
	}
	return out
}

func yen(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return "¥" + s
}

func pages(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo not on PATH (install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, pdf, 0o644)
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "Pages:"); ok {
			fmt.Sscan(rest, &n)
		}
	}
	return n
}

func BenchmarkInvoice50(b *testing.B) {
	inv := invoice(50)
	opt := document.Options{Seal: seal()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inv.Render(opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
}
