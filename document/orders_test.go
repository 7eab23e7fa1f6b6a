package document_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, nakamawashi.JST)
}

func order() *document.PurchaseOrder {
	return &document.PurchaseOrder{
		Number:         "PO-2026-0107",
		OrderDate:      issued,
		Buyer:          customer,
		Supplier:       shop,
		Subject:        "試作シャフト",
		WorkContent:    "図番 HS-1024 rev.B のシャフトを旋盤加工し、熱処理後に納入する。",
		Items:          sampleItems()[:2],
		Rounding:       nakamawashi.RoundFloor,
		DeliveryDate:   date(2026, 12, 10),
		DeliveryPlace:  "発注者 本社工場（東京都大田区羽田空港1-1-1）",
		InspectionDate: date(2026, 12, 15),
		PaymentDate:    date(2027, 2, 7), // 10 Dec + 59 days: the last day allowed
		PaymentMethod:  "銀行振込（振込手数料は発注者負担）",
		Materials:      document.Materials{Supply: document.SupplyPaid, Description: "SUS304 丸棒 φ22×3,000 1本", Terms: "支給材代金 12,000円（税抜）は本件代金の支払時に相殺"},
	}
}

func TestPurchaseOrder(t *testing.T) {
	pdf, err := order().Render(document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, pdfText(t, pdf),
		"注文書", "PO-2026-0107",
		"受注者", "有限会社山田製作所 御中", "発注者", "株式会社羽田試作", // both parties
		"発注日 2026年11月21日", "給付の内容", "HS-1024",
		"納期", "2026年12月10日", "納入場所", "本社工場",
		"検査完了日", "2026年12月15日",
		"支払期日", "2027年2月7日", "支払方法", "銀行振込",
		"支給品", "有償支給", "SUS304 丸棒",
		"注文金額", "¥6,900", // 5,940 + 333 = 6,273, plus 10% rounded down: 627
	)
}

func TestPurchaseOrderPaymentDate(t *testing.T) {
	if got, want := document.PaymentDeadline(date(2026, 12, 10)), date(2027, 2, 7); !got.Equal(want) {
		t.Errorf("PaymentDeadline = %v, want %v", got, want)
	}
	po := order()
	po.PaymentDate = date(2027, 2, 8) // the 61st day counting the day of receipt
	_, err := po.Render(document.Options{})
	var e *nakamawashi.Error
	if !errors.As(err, &e) || e.Code != nakamawashi.EINVALID || e.Fields["payment_date"].Key != "err.doc.payment_late" {
		t.Fatalf("late payment date: got %v, want err.doc.payment_late", err)
	}
	if msg := e.Fields["payment_date"].In(nakamawashi.Japanese); !strings.Contains(msg, "2027年2月7日") {
		t.Errorf("the message does not name the deadline: %q", msg)
	}
}

func TestPurchaseOrderInvalid(t *testing.T) {
	po := order()
	po.DeliveryPlace = ""
	po.InspectionDate = date(2026, 12, 9)
	po.Materials = document.Materials{Supply: document.SupplyPaid, Description: "丸棒"}
	po.Items[0].Quantity = 0
	err := po.Validate()
	for field, key := range map[string]string{
		"delivery_place":   "err.required",
		"inspection_date":  "err.doc.inspection",
		"materials":        "err.doc.supply_terms",
		"items.0.quantity": "err.tax.quantity",
	} {
		var e *nakamawashi.Error
		if !errors.As(err, &e) || e.Fields[field].Key != key {
			t.Errorf("%s: got %v, want %s", field, err, key)
		}
	}
	po = order()
	po.Materials.Supply = ""
	if err := po.Validate(); nakamawashi.ErrorFields(nakamawashi.English, err)["materials.supply"] == "" {
		t.Errorf("an unset supply is accepted: %v", err)
	}
}

func TestOrderAcknowledgement(t *testing.T) {
	po := order()
	po.Materials = document.Materials{Supply: document.SupplyFree, Description: "治具 1式"}
	ack := &document.OrderAcknowledgement{Number: "ACK-0107", Date: date(2026, 11, 24), Order: po}
	pdf, err := ack.Render(document.Options{Dates: nakamawashi.DateWareki, Seal: seal()})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, pdfText(t, pdf),
		"注文請書", "ACK-0107", "令和8年11月24日",
		"株式会社羽田試作 御中", "有限会社山田製作所", // addressed to the buyer, from the supplier
		"注文番号", "PO-2026-0107", "無償支給", "治具 1式",
		"令和8年12月10日", "令和9年2月7日",
	)
	ack.Order = nil
	if err := ack.Validate(); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("an acknowledgement without an order: %v", err)
	}
}

func TestQuote(t *testing.T) {
	q := &document.Quote{
		Number:        "Q-2026-0311",
		Date:          issued,
		Customer:      document.Party{Name: "山田 太郎", Person: true, Address: "神奈川県川崎市幸区1-2-3"},
		Issuer:        shop,
		Subject:       "試作シャフト 5本",
		Items:         sampleItems(),
		Rounding:      nakamawashi.RoundHalfUp,
		ValidUntil:    date(2026, 12, 21),
		DeliveryDate:  date(2026, 12, 10),
		DeliveryTerms: "ご注文後2週間",
		PaymentTerms:  "月末締め翌月末払い",
	}
	pdf, err := q.Render(document.Options{Color: true})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, pdfText(t, pdf),
		"御見積書", "Q-2026-0311", "山田 太郎 様",
		"御見積金額", "¥9,675", // 8,842 + 627 + 206 (half up)
		"¥6,273", "¥627", "¥2,569", "¥206",
		"有効期限", "2026年12月21日", "納期", "2026年12月10日", "ご注文後2週間",
		"支払条件", "月末締め翌月末払い",
	)
	q.ValidUntil = time.Time{}
	if nakamawashi.ErrorFields(nakamawashi.Japanese, q.Validate())["valid_until"] == "" {
		t.Error("a quote without a validity date is accepted")
	}
}

func TestDeliveryNote(t *testing.T) {
	d := &document.DeliveryNote{
		Number:      "DN-0042",
		Date:        date(2026, 12, 10),
		Customer:    document.Party{Name: "株式会社羽田試作", Department: "開発部", Contact: "佐藤"},
		Issuer:      shop,
		OrderNumber: "PO-2026-0107",
		Items:       sampleItems()[:2],
		Rounding:    nakamawashi.RoundFloor,
	}
	d.Items[0].PartNumber = "HS-1024"
	pdf, err := d.Render(document.Options{Paper: document.A5})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, pdfText(t, pdf),
		"納品書", "DN-0042", "株式会社羽田試作 開発部 佐藤 様", "PO-2026-0107",
		"図番 HS-1024", "受領印", "¥6,900",
	)
}

func TestTraveler(t *testing.T) {
	tr := &document.Traveler{
		Lot:        "L-20261121-007",
		PartName:   "シャフト",
		PartNumber: "HS-1024",
		Material:   "SUS304",
		Quantity:   nakamawashi.Units(50),
		Unit:       "個",
		DueDate:    date(2026, 12, 10),
		Steps: []document.TravelerStep{
			{Process: "旋盤加工", Company: "有限会社山田製作所", Due: date(2026, 11, 28)},
			{Process: "フライス加工", Company: "株式会社蒲田精機"},
			{Process: "熱処理（焼入れ・焼戻し）", Company: "大森熱処理工業株式会社"},
			{Process: "無電解ニッケルめっき", Company: "糀谷鍍金所"},
			{Process: "出荷検査", Company: "株式会社羽田試作"},
		},
		URL: "https://nakamawashi.example/t/L-20261121-007",
	}
	for _, paper := range []document.Paper{document.A5, document.A4} {
		pdf, err := tr.Render(document.Options{Paper: paper})
		if err != nil {
			t.Fatal(err)
		}
		contains(t, pdfText(t, pdf),
			"現品票", "L-20261121-007", "シャフト", "HS-1024", "SUS304", "50 個",
			"旋盤加工", "有限会社山田製作所", "11/28", "フライス加工", "熱処理", "出荷検査",
		)
		if images := pdfImages(t, pdf); images != 1 {
			t.Errorf("%s: %d images, want the QR code", paper, images)
		}
	}
	tr.URL = "javascript:alert(1)"
	if nakamawashi.ErrorFields(nakamawashi.Japanese, tr.Validate())["url"] == "" {
		t.Error("a non-HTTP URL is accepted")
	}
}

// pdfImages counts the images in a PDF with pdfimages -list.
func pdfImages(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages not on PATH (install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfimages", "-list", path).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return len(lines) - 2 // two heading lines
}
