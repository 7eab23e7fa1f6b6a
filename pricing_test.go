package nakamawashi_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// twoParts is an inquiry of two parts, priced by hand below.
//
// Part A (10 pieces): 旋盤 ¥20,000 in 3 days, then フライス ¥8,000 in 2
// days with ¥1,500 and 1 day of transport between them; delivery ¥2,000,
// 1 day. Partners 28,000, transport 3,500, commission ⌈31,500 × 10%⌉ =
// 3,150: cost 34,650.
// Part B (3 pieces): 研削 ¥9,000 in 1 day; delivery ¥1,000, same day.
// Partners 9,000, transport 1,000, commission 1,000: cost 11,000.
// The usage fee of ¥3,000 is shared by cost: A gets ⌊3,000 × 34,650 /
// 45,650⌋ = 2,277, B the rest, 723.
// Unit prices: A ⌈(34,650 + 2,277) / 10⌉ = 3,693 → ¥3,700 (up to ¥10);
// B ⌈(11,000 + 723) / 3⌉ = 3,908 → ¥3,910.
// Lines 37,000 + 11,730 = 48,730; tax 4,873; total 53,603. Margin =
// 48,730 − 37,000 − 4,500 = 7,230 (commission 4,150 + fee 3,000 +
// rounding 80).
func twoParts() nakamawashi.QuoteInput {
	a := &nakamawashi.Part{ID: 11, Name: "シャフト", DrawingNumber: "HS-1024", Quantity: 10}
	b := &nakamawashi.Part{ID: 12, Name: "ピン", DrawingNumber: "HP-7", Quantity: 3}
	return nakamawashi.QuoteInput{
		Inquiry: &nakamawashi.Inquiry{ID: 5, Title: "試作シャフトとピン", Parts: []*nakamawashi.Part{a, b}},
		Parts: []nakamawashi.PartOffer{
			{Part: a, Steps: []nakamawashi.Offer{
				{StepID: 101, Seq: 1, Process: "turning.nc", CompanyID: 21, CompanyName: "山田製作所", RequestID: 301, PriceYen: 20000, LeadDays: 3},
				{StepID: 102, Seq: 2, Process: "mc.3axis", CompanyID: 22, CompanyName: "蒲田精機", RequestID: 302, PriceYen: 8000, LeadDays: 2, TransportYen: 1500, TransportDays: 1},
			}, DeliveryYen: 2000, DeliveryDays: 1},
			{Part: b, Steps: []nakamawashi.Offer{
				{StepID: 103, Seq: 1, Process: "grinding.cylindrical", CompanyID: 23, CompanyName: "糀谷研削", PriceYen: 9000, LeadDays: 1},
			}, DeliveryYen: 1000},
		},
		Fees:  nakamawashi.Fees{CommissionPercent: 10, UsageFeeYen: 3000, RoundTo: 10},
		Today: ymd(2026, 4, 24), // a Friday before Golden Week
	}
}

func TestAssembleQuote(t *testing.T) {
	q, err := nakamawashi.AssembleQuote(twoParts())
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Lines) != 2 {
		t.Fatalf("%d lines", len(q.Lines))
	}
	for i, want := range []nakamawashi.QuoteLine{
		{PartID: 11, Description: "シャフト", PartNumber: "HS-1024", Quantity: 10, Unit: "個", UnitPrice: 3700, Amount: 37000, Rate: nakamawashi.RateStandard},
		{PartID: 12, Description: "ピン", PartNumber: "HP-7", Quantity: 3, Unit: "個", UnitPrice: 3910, Amount: 11730, Rate: nakamawashi.RateStandard},
	} {
		if q.Lines[i] != want {
			t.Errorf("line %d = %+v\nwant     %+v", i, q.Lines[i], want)
		}
	}
	if q.Subtotal != 48730 || q.Tax != 4873 || q.Total != 53603 {
		t.Errorf("totals %d + %d = %d, want 48,730 + 4,873 = 53,603", q.Subtotal, q.Tax, q.Total)
	}
	c := q.Costing
	if c.PartnerYen != 37000 || c.TransportYen != 4500 || c.CommissionYen != 4150 || c.UsageFeeYen != 3000 || c.MarginYen != 7230 {
		t.Errorf("costing %+v", c)
	}
	if q.Status != nakamawashi.QuoteDraft || q.InquiryID != 5 || q.Subject != "試作シャフトとピン" || q.Rounding != nakamawashi.RoundFloor {
		t.Errorf("quote %+v", q)
	}
	if q.ValidUntil != ymd(2026, 5, 24) {
		t.Errorf("ValidUntil = %v, want 30 days on", q.ValidUntil)
	}
	// Dates: work starts the next working day, Monday 4/27. A: 旋盤 runs
	// 4/27, 4/28, (4/29 昭和の日) 4/30; one day of transport, so フライス
	// starts 5/1 and runs 5/1, (5/2–5/6 weekend and holidays) 5/7; one
	// day of delivery and one of buffer: 5/8, 5/11. B: 4/27, arrives 4/28.
	// The promise is the later part's: Monday 5/11.
	if q.PromisedDate != ymd(2026, 5, 11) {
		t.Errorf("PromisedDate = %v, want 2026-05-11", q.PromisedDate)
	}
	type span struct{ start, finish nakamawashi.Date }
	for i, want := range []span{
		{ymd(2026, 4, 27), ymd(2026, 4, 30)},
		{ymd(2026, 5, 1), ymd(2026, 5, 7)},
		{ymd(2026, 4, 27), ymd(2026, 4, 27)},
	} {
		s := c.Steps[i]
		if (span{s.Start, s.Finish}) != want {
			t.Errorf("step %d (%s): %v–%v, want %v–%v", i, s.Process, s.Start, s.Finish, want.start, want.finish)
		}
	}
	if !c.Steps[2].Estimated || c.Steps[0].Estimated {
		t.Error("a step without a request is an estimate, one with a request is not")
	}
	// The draft is a quote the coordinator may send as it is.
	if err := q.Validate(ymd(2026, 4, 24)); err != nil || q.Total != 53603 {
		t.Errorf("Validate: %v (total %d)", err, q.Total)
	}
}

func TestAssembleQuoteEarliestStart(t *testing.T) {
	in := twoParts()
	// The フライス shop cannot start before Monday 5/11: it runs 5/11–5/12,
	// delivery 5/13, buffer 5/14.
	in.Parts[0].Steps[1].EarliestStart = ymd(2026, 5, 11)
	// The 研削 shop's earliest start falls on a holiday: it starts the
	// next working day.
	in.Parts[1].Steps[0].EarliestStart = ymd(2026, 5, 4)
	q, err := nakamawashi.AssembleQuote(in)
	if err != nil {
		t.Fatal(err)
	}
	if q.PromisedDate != ymd(2026, 5, 14) {
		t.Errorf("PromisedDate = %v, want 2026-05-14", q.PromisedDate)
	}
	if s := q.Costing.Steps[2]; s.Start != ymd(2026, 5, 7) {
		t.Errorf("研削 starts %v, want 2026-05-07", s.Start)
	}
}

func TestAssembleQuoteRounding(t *testing.T) {
	in := twoParts()
	in.Fees.RoundTo = 1
	in.Fees.UsageFeeYen = 0
	in.Fees.CommissionPercent = 0
	in.Rounding = nakamawashi.RoundCeil
	q, err := nakamawashi.AssembleQuote(in)
	if err != nil {
		t.Fatal(err)
	}
	// A: 31,500 / 10 = 3,150; B: 10,000 / 3 = 3,333.3 → 3,334.
	if q.Lines[0].UnitPrice != 3150 || q.Lines[1].UnitPrice != 3334 {
		t.Errorf("unit prices %d, %d; want 3,150 and 3,334", q.Lines[0].UnitPrice, q.Lines[1].UnitPrice)
	}
	// 31,500 + 10,002 = 41,502; tax 4,150.2 rounded up: 4,151.
	if q.Subtotal != 41502 || q.Tax != 4151 || q.Costing.MarginYen != 2 {
		t.Errorf("subtotal %d tax %d margin %d", q.Subtotal, q.Tax, q.Costing.MarginYen)
	}
	in.Fees.RoundTo = 100
	q, _ = nakamawashi.AssembleQuote(in)
	if q.Lines[0].UnitPrice != 3200 || q.Lines[1].UnitPrice != 3400 {
		t.Errorf("to ¥100: %d, %d", q.Lines[0].UnitPrice, q.Lines[1].UnitPrice)
	}
}

func TestAssembleQuoteInvalid(t *testing.T) {
	for name, mutate := range map[string]func(*nakamawashi.QuoteInput){
		"no inquiry":       func(in *nakamawashi.QuoteInput) { in.Inquiry = nil },
		"no parts":         func(in *nakamawashi.QuoteInput) { in.Parts = nil },
		"no today":         func(in *nakamawashi.QuoteInput) { in.Today = nakamawashi.Date{} },
		"bad rounding":     func(in *nakamawashi.QuoteInput) { in.Fees.RoundTo = 7 },
		"bad commission":   func(in *nakamawashi.QuoteInput) { in.Fees.CommissionPercent = 150 },
		"negative price":   func(in *nakamawashi.QuoteInput) { in.Parts[0].Steps[0].PriceYen = -1 },
		"negative lead":    func(in *nakamawashi.QuoteInput) { in.Parts[1].Steps[0].LeadDays = -2 },
		"no steps":         func(in *nakamawashi.QuoteInput) { in.Parts[1].Steps = nil },
		"zero quantity":    func(in *nakamawashi.QuoteInput) { in.Parts[0].Part.Quantity = 0 },
		"price over limit": func(in *nakamawashi.QuoteInput) { in.Parts[0].Steps[0].PriceYen = nakamawashi.MaxAmount + 1 },
	} {
		in := twoParts()
		mutate(&in)
		q, err := nakamawashi.AssembleQuote(in)
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID || q != nil {
			t.Errorf("%s: %v, %v; want EINVALID", name, q, err)
		}
	}
}
