package nakamawashi_test

import (
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestPaymentDate(t *testing.T) {
	monthEnd := nakamawashi.DefaultPaymentTerms                                     // 月末締め翌月末払い
	twentieth := nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 2, PayDay: 10} // 20日締め翌々月10日払い
	for _, tt := range []struct {
		name     string
		delivery nakamawashi.Date
		terms    nakamawashi.PaymentTerms
		want     nakamawashi.Date
	}{
		// 月末締め翌月末払い: the end of the next month, unless that passes
		// the 60th day counting the day of receipt (delivery + 59).
		{"month end, the 1st: 58 days", ymd(2026, 1, 1), monthEnd, ymd(2026, 2, 28)},
		{"month end, the 15th", ymd(2026, 1, 15), monthEnd, ymd(2026, 2, 28)},
		{"month end, the 31st", ymd(2026, 1, 31), monthEnd, ymd(2026, 2, 28)},
		{"month end, leap year", ymd(2028, 1, 31), monthEnd, ymd(2028, 2, 29)},
		{"month end, December", ymd(2026, 12, 15), monthEnd, ymd(2027, 1, 31)},
		{"month end, 7/1: 62 days, capped", ymd(2026, 7, 1), monthEnd, ymd(2026, 8, 29)},
		{"month end, 3/1: 61 days, capped", ymd(2026, 3, 1), monthEnd, ymd(2026, 4, 29)},
		{"month end, 3/2: exactly the 60th day", ymd(2026, 3, 2), monthEnd, ymd(2026, 4, 30)},
		{"month end, 3/31", ymd(2026, 3, 31), monthEnd, ymd(2026, 4, 30)},
		// 20日締め翌々月10日払い is always capped at delivery + 59.
		{"20th close, the 5th", ymd(2026, 1, 5), twentieth, ymd(2026, 3, 5)},
		{"20th close, on the 20th: 49 days", ymd(2026, 1, 20), twentieth, ymd(2026, 3, 10)},
		{"20th close, the 21st (next closing)", ymd(2026, 1, 21), twentieth, ymd(2026, 3, 21)},
		{"20th close, the 31st", ymd(2026, 1, 31), twentieth, ymd(2026, 3, 31)},
		// 20日締め翌月10日払い stays within the limit.
		{"20th close next month, the 1st", ymd(2026, 1, 1), nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 1, PayDay: 10}, ymd(2026, 2, 10)},
		{"20th close next month, the 21st", ymd(2026, 1, 21), nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 1, PayDay: 10}, ymd(2026, 3, 10)},
		// 15日締め当月末払い.
		{"15th close same month", ymd(2026, 2, 10), nakamawashi.PaymentTerms{CloseDay: 15, MonthsLater: 0, PayDay: 0}, ymd(2026, 2, 28)},
		{"15th close same month, after closing", ymd(2026, 2, 16), nakamawashi.PaymentTerms{CloseDay: 15, MonthsLater: 0, PayDay: 0}, ymd(2026, 3, 31)},
		// A 当月 pay day before the closing day pays in the next month,
		// never before the delivery.
		{"28th close, same month 5th", ymd(2026, 1, 6), nakamawashi.PaymentTerms{CloseDay: 28, MonthsLater: 0, PayDay: 5}, ymd(2026, 2, 5)},
		// Out-of-range terms fall back to the month end and next month.
		{"nonsense terms", ymd(2026, 1, 10), nakamawashi.PaymentTerms{CloseDay: 40, MonthsLater: 9, PayDay: -1}, ymd(2026, 2, 28)},
	} {
		got := nakamawashi.PaymentDate(tt.delivery, tt.terms)
		if got != tt.want {
			t.Errorf("%s: PaymentDate(%v, %+v) = %v, want %v", tt.name, tt.delivery, tt.terms, got, tt.want)
		}
		if days := tt.delivery.DaysUntil(got) + 1; days > nakamawashi.PaymentDays {
			t.Errorf("%s: pays on day %d counting the delivery", tt.name, days)
		}
		if got.Before(tt.delivery) {
			t.Errorf("%s: pays before delivery", tt.name)
		}
	}
	if !nakamawashi.PaymentDate(nakamawashi.Date{}, monthEnd).IsZero() {
		t.Error("no delivery date gives a payment date")
	}
}

// TestPaymentDateWithinLimit checks every delivery day of two years under
// several terms: never past the 60th day, never before delivery.
func TestPaymentDateWithinLimit(t *testing.T) {
	terms := []nakamawashi.PaymentTerms{
		nakamawashi.DefaultPaymentTerms,
		{CloseDay: 20, MonthsLater: 2, PayDay: 10},
		{CloseDay: 25, MonthsLater: 1, PayDay: 25},
		{CloseDay: 10, MonthsLater: 3, PayDay: 0},
		{CloseDay: 28, MonthsLater: 0, PayDay: 5},
	}
	for d := ymd(2026, 1, 1); d.Before(ymd(2028, 1, 1)); d = d.AddDays(1) {
		for _, tm := range terms {
			p := nakamawashi.PaymentDate(d, tm)
			if n := d.DaysUntil(p); n < 0 || n > nakamawashi.PaymentDays-1 {
				t.Fatalf("%v under %s pays %v (%d days later)", d, tm.Label(), p, n)
			}
		}
	}
}

func TestPaymentTermsLabel(t *testing.T) {
	for _, tt := range []struct {
		terms nakamawashi.PaymentTerms
		want  string
	}{
		{nakamawashi.DefaultPaymentTerms, "月末締め翌月末払い"},
		{nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 1, PayDay: 10}, "20日締め翌月10日払い"},
		{nakamawashi.PaymentTerms{CloseDay: 20, MonthsLater: 2, PayDay: 10}, "20日締め翌々月10日払い"},
		{nakamawashi.PaymentTerms{CloseDay: 15, MonthsLater: 0, PayDay: 0}, "15日締め当月末払い"},
		{nakamawashi.PaymentTerms{CloseDay: 0, MonthsLater: 3, PayDay: 5}, "月末締め3か月後5日払い"},
		{nakamawashi.PaymentTerms{CloseDay: 31, MonthsLater: 7, PayDay: 29}, "月末締め翌月末払い"}, // out of range: the default
	} {
		if got := tt.terms.Label(); got != tt.want {
			t.Errorf("%+v.Label() = %q, want %q", tt.terms, got, tt.want)
		}
	}
}

func TestLotScanValidate(t *testing.T) {
	lot := &nakamawashi.Lot{Quantity: 10, Good: 9}
	for _, tt := range []struct {
		scan  nakamawashi.LotScan
		field string // "" when valid
	}{
		{nakamawashi.LotScan{Action: nakamawashi.LotStart}, ""},
		{nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 8, Defect: 1}, ""},
		{nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 9, Defect: 1}, "good"},
		{nakamawashi.LotScan{Action: nakamawashi.LotFinish, Good: 10, Defect: -1}, "good"},
		{nakamawashi.LotScan{Action: nakamawashi.LotHandoff, Good: 1}, "good"},
		{nakamawashi.LotScan{Action: nakamawashi.LotDeliver}, "action"},
		{nakamawashi.LotScan{Action: "explode"}, "action"},
	} {
		err := tt.scan.Validate(lot)
		fields := nakamawashi.ErrorFields(nakamawashi.Japanese, err)
		if tt.field == "" && err != nil || tt.field != "" && fields[tt.field] == "" {
			t.Errorf("%+v: %v, want a problem with %q", tt.scan, err, tt.field)
		}
	}
}
