package document_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

var (
	issued   = time.Date(2026, 11, 21, 0, 0, 0, 0, nakamawashi.JST)
	customer = document.Party{
		Name:       "株式会社羽田試作",
		PostalCode: "１４４００４１",
		Address:    "東京都大田区羽田空港1-1-1 羽田イノベーションシティ",
		Phone:      "03-1111-2222",
	}
	shop = document.Party{
		Name:               "有限会社山田製作所",
		PostalCode:         "144-0051",
		Address:            "東京都大田区西蒲田7-1-1",
		Phone:              "03-3333-4444",
		Fax:                "03-3333-4445",
		RegistrationNumber: "T7000012050002",
	}
)

func item(desc string, qty int64, price int64, rate nakamawashi.TaxRate) document.Item {
	return document.Item{
		Line: nakamawashi.Line{Description: desc, Quantity: nakamawashi.Units(qty), UnitPrice: price, Rate: rate, Reduced: rate == nakamawashi.RateReduced},
		Unit: "個",
	}
}

func sampleItems() []document.Item {
	return []document.Item{
		item("シャフト 旋盤加工（SUS304 φ20×120）、端面仕上げ・面取りC0.5を含む。図面どおりの公差で加工し、検査成績書を添付いたします。", 3, 1980, 10),
		item("熱処理（焼入れ・焼戻し）", 1, 333, 10),
		item("茶菓子", 2, 1234, 8),
		item("飲料", 1, 101, 8),
	}
}

// pdfText writes the PDF into a temporary directory and returns its text
// as pdftotext extracts it, skipping the test when poppler-utils is absent.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not on PATH (install poppler-utils); skipping the text check")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if dir := os.Getenv("DOCUMENT_KEEP"); dir != "" { // to look at the output
		os.WriteFile(filepath.Join(dir, t.Name()+".pdf"), pdf, 0o644)
	}
	return string(out)
}

// contains checks that every want appears in the text, ignoring the spaces
// a layout puts between characters.
func contains(t *testing.T, text string, wants ...string) {
	t.Helper()
	squeezed := strings.NewReplacer(" ", "", "\n", "").Replace(text)
	for _, w := range wants {
		if !strings.Contains(squeezed, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("the PDF lacks %q; got:\n%s", w, text)
		}
	}
}

func seal() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for x := 4; x < 60; x++ {
		for _, y := range []int{4, 5, 58, 59} {
			img.Set(x, y, color.NRGBA{200, 0, 0, 255})
			img.Set(y, x, color.NRGBA{200, 0, 0, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestInvoice(t *testing.T) {
	inv := &document.Invoice{
		Number:     "INV-2026-0042",
		Date:       issued,
		Recipient:  customer,
		Issuer:     shop,
		Subject:    "試作シャフト 加工一式",
		PeriodFrom: time.Date(2026, 10, 1, 0, 0, 0, 0, nakamawashi.JST),
		PeriodTo:   time.Date(2026, 10, 31, 0, 0, 0, 0, nakamawashi.JST),
		Items:      sampleItems(),
		Rounding:   nakamawashi.RoundFloor,
		DueDate:    time.Date(2026, 12, 31, 0, 0, 0, 0, nakamawashi.JST),
		Bank:       "大田信用金庫 蒲田支店 普通 1234567 ユ）ヤマダセイサクシヨ",
		Notes:      "お振込手数料はご負担ください。",
	}
	pdf, err := inv.Render(document.Options{Seal: seal()})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	contains(t, text,
		"請求書", "INV-2026-0042",
		"有限会社山田製作所", "登録番号 T7000012050002", // issuer and registration number
		"2026年11月21日", // date
		"株式会社羽田試作 御中", // recipient
		"〒144-0041", "〒144-0051",
		"※ 茶菓子", "※ 飲料", "※印は軽減税率（8%）対象です。", // marking and legend
		"10%対象", "¥6,273", "¥627", // 10%: base and tax
		"8%対象※", "¥2,569", "¥205", // 8%: base and tax
		"¥9,674", // total
		"TEL 03-3333-4444", "FAX 03-3333-4445",
	)
	if strings.Contains(text, "御中 様") || strings.Contains(text, "様 御中") {
		t.Error("both honorifics on one name")
	}
}
