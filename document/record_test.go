package document_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

func day(y int, m time.Month, d int) nakamawashi.Date { return nakamawashi.MakeDate(y, m, d) }

var (
	office = nakamawashi.DocParty{
		CompanyID:          1,
		Name:               "一般社団法人大田仲間まわしネットワーク",
		PostalCode:         "1440035",
		Address:            "東京都大田区南蒲田1-20-20",
		Phone:              "03-5744-0000",
		Fax:                "03-5744-0001",
		RegistrationNumber: "T7000012050002",
	}
	customerParty = nakamawashi.DocParty{
		CompanyID:  2,
		Name:       "株式会社羽田試作",
		PostalCode: "144-0041",
		Address:    "東京都大田区羽田空港1-1-1",
		Phone:      "03-1111-2222",
	}
	shopParty = nakamawashi.DocParty{
		CompanyID:  3,
		Name:       "有限会社山田製作所",
		PostalCode: "144-0051",
		Address:    "東京都大田区西蒲田7-1-1",
		Phone:      "03-3333-4444",
		Fax:        "03-3333-4445",
	}
)

// recordItems: 10% 24,800 + 15,000 = 39,800 → tax 3,980; 8% 1,296 → tax
// 103 (103.68 rounded down); total 41,096 + 4,083 = 45,179.
func recordItems() []nakamawashi.DocItem {
	return []nakamawashi.DocItem{
		{Description: "シャフト NC旋盤加工", PartNumber: "HS-1024", Quantity: nakamawashi.Units(10), Unit: "個", UnitPrice: 2480, Rate: nakamawashi.RateStandard},
		{Description: "治具 設計費", Quantity: nakamawashi.Units(1), Unit: "式", UnitPrice: 15000, Rate: nakamawashi.RateStandard},
		{Description: "茶菓子（打合せ用）", Quantity: nakamawashi.Units(3), Unit: "箱", UnitPrice: 432, Rate: nakamawashi.RateReduced, Reduced: true},
	}
}

func record(kind nakamawashi.DocumentKind, number string, data *nakamawashi.DocumentData) *nakamawashi.IssuedDocument {
	return &nakamawashi.IssuedDocument{ID: 1, Kind: kind, Number: number, Version: 1, Date: day(2026, 11, 24),
		CounterpartyName: data.Recipient.Name, Data: data, IssuedBy: 7, IssuedByName: "事務局 太郎",
		IssuedAt: time.Date(2026, 11, 24, 1, 2, 3, 0, time.UTC)}
}

func quoteRecord() *nakamawashi.IssuedDocument {
	return record(nakamawashi.DocQuote, "Q2026-00001", &nakamawashi.DocumentData{
		Subject: "試作シャフト", Issuer: office, Recipient: customerParty, Items: recordItems()[:2],
		Rounding: nakamawashi.RoundFloor, ValidUntil: day(2026, 12, 24), DeliveryDate: day(2026, 12, 18),
		PaymentTerms: "月末締め翌月末払い",
	})
}

func purchaseOrderRecord() *nakamawashi.IssuedDocument {
	return record(nakamawashi.DocPurchaseOrder, "W2026-00017", &nakamawashi.DocumentData{
		Subject: "試作シャフト NC旋盤加工", Issuer: office, Recipient: shopParty,
		Items:       []nakamawashi.DocItem{{Description: "NC旋盤加工 HS-1024", Quantity: nakamawashi.Units(10), Unit: "個", UnitPrice: 1800, Rate: nakamawashi.RateStandard}},
		WorkContent: "図番 HS-1024 シャフト 10個の NC旋盤加工（外径・端面・面取り）",
		Rounding:    nakamawashi.RoundFloor, DeliveryDate: day(2026, 12, 4), DeliveryPlace: "株式会社蒲田精機（次工程）",
		InspectionDate: day(2026, 12, 7), PaymentDate: day(2027, 1, 31), PaymentMethod: nakamawashi.DefaultPaymentMethod,
		Supply: "free", SupplyDescription: "SUS304 丸棒 φ22×3,000 1本（12月1日 当社より引渡し）",
	})
}

func ackRecord() *nakamawashi.IssuedDocument {
	return record(nakamawashi.DocOrderAck, "A2026-00003", &nakamawashi.DocumentData{
		Subject: "試作シャフト", Issuer: office, Recipient: customerParty, Items: recordItems()[:2],
		Rounding: nakamawashi.RoundFloor, DeliveryDate: day(2026, 12, 18), DeliveryPlace: "株式会社羽田試作 本社（東京都大田区羽田空港1-1-1）",
		PaymentTerms: "月末締め翌月末払い", OrderNumber: "O2026-00003", WorkContent: "試作シャフトの製作（見積書 Q2026-00001 のとおり）",
	})
}

func deliveryRecord() *nakamawashi.IssuedDocument {
	d := record(nakamawashi.DocDeliveryNote, "D2026-00005", &nakamawashi.DocumentData{
		Subject: "試作シャフト", Issuer: office, Recipient: customerParty, Items: recordItems()[:1],
		Rounding: nakamawashi.RoundFloor, OrderNumber: "O2026-00003",
	})
	d.Date = day(2026, 12, 17)
	return d
}

func invoiceRecord() *nakamawashi.IssuedDocument {
	d := record(nakamawashi.DocInvoice, "I2026-00001", &nakamawashi.DocumentData{
		Subject: "試作シャフト", Issuer: office, Recipient: customerParty, Items: recordItems(),
		Rounding: nakamawashi.RoundFloor, PeriodFrom: day(2026, 12, 1), PeriodTo: day(2026, 12, 31),
		DueDate: day(2027, 1, 31), Bank: "大田信用金庫 蒲田支店 普通 7654321",
	})
	d.Date = day(2026, 12, 31)
	return d
}

func renderRecord(t *testing.T, d *nakamawashi.IssuedDocument, opt document.Options) string {
	t.Helper()
	pdf, err := document.RenderIssued(d, opt)
	if err != nil {
		t.Fatalf("%s %s: %v", d.Kind, d.Number, err)
	}
	return pdfText(t, pdf)
}

func TestRenderIssuedQuote(t *testing.T) {
	contains(t, renderRecord(t, quoteRecord(), document.Options{}),
		"御見積書", "Q2026-00001", "発行日 2026年11月24日",
		"株式会社羽田試作 御中", "一般社団法人大田仲間まわしネットワーク", "TEL 03-5744-0000",
		"有効期限", "2026年12月24日", "納期", "2026年12月18日", "月末締め翌月末払い",
		"御見積金額", "¥43,780", // 39,800 + 3,980
		"シャフト NC旋盤加工", "HS-1024",
	)
}

func TestRenderIssuedPurchaseOrder(t *testing.T) {
	text := renderRecord(t, purchaseOrderRecord(), document.Options{})
	contains(t, text,
		"注文書", "W2026-00017",
		"受注者", "有限会社山田製作所 御中", "発注者", "一般社団法人大田仲間まわしネットワーク", // both parties
		"発注日 2026年11月24日",            // order date
		"給付の内容", "NC旋盤加工（外径・端面・面取り）", // work content
		"納期", "2026年12月4日", "納入場所", "株式会社蒲田精機（次工程）", // delivery date and place
		"検査完了日", "2026年12月7日", // inspection date
		"注文金額", "¥19,800", // 18,000 + 1,800
		"支払期日", "2027年1月31日", // payment date (58 days after delivery)
		"支払方法", "銀行振込（振込手数料は発注者負担）", // payment method
		"支給品", "無償支給", "SUS304 丸棒", // supplied materials
	)
	// A payment date past 60 days is refused, even from a record.
	d := purchaseOrderRecord()
	d.Data.PaymentDate = day(2027, 2, 2) // delivery 12/4 + 60
	if _, err := document.RenderIssued(d, document.Options{}); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("late payment date: %v", err)
	}
}

func TestRenderIssuedOrderAcknowledgement(t *testing.T) {
	contains(t, renderRecord(t, ackRecord(), document.Options{Dates: nakamawashi.DateWareki}),
		"注文請書", "A2026-00003", "令和8年11月24日",
		"株式会社羽田試作 御中", "一般社団法人大田仲間まわしネットワーク", // to the buyer, from the supplier
		"注文番号", "O2026-00003", "試作シャフトの製作",
		"納期", "令和8年12月18日", "納入場所", "羽田空港1-1-1",
		"支払条件", "月末締め翌月末払い", "注文金額", "¥43,780",
	)
	// As the store issues it: no work content of its own (the subject
	// stands for it), no delivery place given by the customer.
	d := ackRecord()
	d.Data.WorkContent, d.Data.DeliveryPlace = "", ""
	contains(t, renderRecord(t, d, document.Options{}), "注文請書", "給付の内容", "試作シャフト", "月末締め翌月末払い")
	// Without payment terms, an acknowledgement is one of a subcontract
	// and needs the 取適法 dates.
	d = ackRecord()
	d.Data.PaymentTerms = ""
	if _, err := document.RenderIssued(d, document.Options{}); nakamawashi.ErrorFields(nakamawashi.Japanese, err)["order.payment_date"] == "" {
		t.Errorf("a subcontract acknowledgement without a payment date: %v", err)
	}
}

func TestRenderIssuedDeliveryNote(t *testing.T) {
	contains(t, renderRecord(t, deliveryRecord(), document.Options{}),
		"納品書", "D2026-00005", "2026年12月17日", "株式会社羽田試作 御中",
		"一般社団法人大田仲間まわしネットワーク", "注文番号", "O2026-00003",
		"シャフト NC旋盤加工", "図番 HS-1024", "納品金額", "¥27,280", "受領印",
	)
}

func TestRenderIssuedInvoice(t *testing.T) {
	text := renderRecord(t, invoiceRecord(), document.Options{})
	contains(t, text,
		"請求書", "I2026-00001",
		"一般社団法人大田仲間まわしネットワーク", "登録番号 T7000012050002", // issuer and registration number
		"発行日 2026年12月31日",                                          // date
		"株式会社羽田試作 御中",                                              // recipient
		"シャフト NC旋盤加工", "治具 設計費", "※ 茶菓子（打合せ用）", "※印は軽減税率（8%）対象です。", // items, reduced marked
		"10%対象", "¥39,800", "¥3,980", // 10%: base and tax
		"8%対象※", "¥1,296", "¥103", // 8%: base and tax (103.68 rounded down once)
		"ご請求金額", "¥45,179", // total
		"取引期間", "2026年12月1日", "2026年12月31日", "お支払期限", "2027年1月31日", "大田信用金庫",
	)
	if strings.Contains(text, "※ シャフト") || strings.Contains(text, "※ 治具") {
		t.Error("a standard-rate item is marked ※")
	}
	// Half up gives 104 on the 8% base.
	d := invoiceRecord()
	d.Data.Rounding = nakamawashi.RoundHalfUp
	contains(t, renderRecord(t, d, document.Options{}), "¥104", "¥45,180")
}

func TestRenderIssuedCorrection(t *testing.T) {
	for _, d := range []*nakamawashi.IssuedDocument{quoteRecord(), purchaseOrderRecord(), ackRecord(), deliveryRecord(), invoiceRecord()} {
		d.Version = 2
		d.Reason = "単価の誤記（2,840円→2,480円）を訂正"
		contains(t, renderRecord(t, d, document.Options{}), "訂正版（第2版）", "訂正理由：単価の誤記（2,840円→2,480円）を訂正", d.Number)
	}
	text := renderRecord(t, invoiceRecord(), document.Options{})
	if strings.Contains(text, "訂正") {
		t.Errorf("an original says it is corrected:\n%s", text)
	}
	d := invoiceRecord()
	d.Version = 3
	contains(t, renderRecord(t, d, document.Options{Language: nakamawashi.English}), "Corrected (version 3)")
}

func TestRenderIssuedInvalid(t *testing.T) {
	if _, err := document.RenderIssued(nil, document.Options{}); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("nil: %v", err)
	}
	d := invoiceRecord()
	d.Data = nil
	if _, err := document.RenderIssued(d, document.Options{}); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("no data: %v", err)
	}
	d = invoiceRecord()
	d.Kind = "receipt"
	if _, err := document.RenderIssued(d, document.Options{}); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
	d = invoiceRecord()
	d.Data.Issuer.RegistrationNumber = ""
	if _, err := document.RenderIssued(d, document.Options{}); nakamawashi.ErrorFields(nakamawashi.Japanese, err)["issuer.registration_number"] == "" {
		t.Errorf("an invoice without a registration number: %v", err)
	}
}

func TestTravelerOf(t *testing.T) {
	l := &nakamawashi.Lot{
		Number: "L2026-00042", Code: "abc", PartName: "シャフト", DrawingNumber: "HS-1024", Quantity: 10,
		Steps: []*nakamawashi.LotStep{
			{Seq: 1, Process: "turning.nc", CompanyName: "有限会社山田製作所", Due: day(2026, 12, 4)},
			{Seq: 2, Process: "mc.3axis", CompanyName: "株式会社蒲田精機", Due: day(2026, 12, 9)},
			{Seq: 3, Process: "grinding.cylindrical", CompanyName: "糀谷研削", Due: day(2026, 12, 14)},
		},
	}
	tr := document.TravelerOf(l, "株式会社羽田試作", "https://nakamawashi.example/lots/abc")
	if got := tr.DueDate; !got.Equal(day(2026, 12, 14).Time()) {
		t.Errorf("DueDate = %v, want the last step's", got)
	}
	pdf, err := tr.Render(document.Options{Paper: document.A5})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, pdfText(t, pdf),
		"現品票", "L2026-00042", "シャフト", "HS-1024", "10 個", "株式会社羽田試作",
		"NC旋盤", "有限会社山田製作所", "12/4", "マシニングセンタ 3軸", "株式会社蒲田精機", "円筒研削", "糀谷研削", "12/14",
	)
	// For a customer the store blanks the shops; the traveler still prints.
	for _, s := range l.Steps {
		s.CompanyName = ""
	}
	if _, err := document.TravelerOf(l, "", "https://nakamawashi.example/lots/abc").Render(document.Options{}); err != nil {
		t.Error(err)
	}
}

// TestRenderConcurrent renders documents at the same time, as a server
// does: the parsed fonts are shared between them (run with -race).
func TestRenderConcurrent(t *testing.T) {
	records := []*nakamawashi.IssuedDocument{quoteRecord(), purchaseOrderRecord(), ackRecord(), deliveryRecord(), invoiceRecord()}
	want := make([]int, len(records))
	for i, d := range records {
		pdf, err := document.RenderIssued(d, document.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = len(pdf)
	}
	errs := make(chan error, 4*len(records))
	for range 4 {
		for i, d := range records {
			go func() {
				pdf, err := document.RenderIssued(d, document.Options{})
				if err == nil && len(pdf) != want[i] {
					err = nakamawashi.Internal("test", errorString("a different PDF when rendered concurrently"))
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(records) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
