package nakamawashi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// TaxRate is a consumption tax rate in percent.
type TaxRate int

// The consumption tax rates of Japan since 2019-10-01.
const (
	RateStandard TaxRate = 10 // 標準税率
	RateReduced  TaxRate = 8  // 軽減税率, marked ※ on a qualified invoice
)

// TaxRates lists the rates in the order a qualified invoice shows them.
var TaxRates = []TaxRate{RateStandard, RateReduced}

// Valid reports whether r is one of the rates in force.
func (r TaxRate) Valid() bool { return r == RateStandard || r == RateReduced }

// TaxRounding is how the issuer rounds fractions of a yen: a setting of the
// issuer, applied once per rate per invoice.
type TaxRounding string

// The rounding directions a Japanese business may choose.
const (
	RoundFloor  TaxRounding = "floor"   // 切り捨て
	RoundCeil   TaxRounding = "ceil"    // 切り上げ
	RoundHalfUp TaxRounding = "half_up" // 四捨五入
)

// TaxRoundings lists the rounding settings, the most common first.
var TaxRoundings = []TaxRounding{RoundFloor, RoundCeil, RoundHalfUp}

// Valid reports whether r is a known rounding setting.
func (r TaxRounding) Valid() bool { return r == RoundFloor || r == RoundCeil || r == RoundHalfUp }

// LabelKey returns the catalog key of the setting's name (切り捨て, …).
func (r TaxRounding) LabelKey() string { return "tax.rounding." + string(r) }

// Quantity is a number of units in thousandths, so that 1.5 kg is 1500 and
// amounts stay exact integers: a float would turn 0.1 × 3 into 0.30000000000000004.
type Quantity int64

// QuantityScale is the number of Quantity steps in one unit.
const QuantityScale = 1000

// Units returns n whole units as a Quantity.
func Units(n int64) Quantity { return Quantity(n * QuantityScale) }

// ParseQuantity reads a quantity typed as 12, 1.5, 1,000 or full-width
// １．２５, with at most three decimals.
func ParseQuantity(s string) (Quantity, error) {
	s = strings.ReplaceAll(NormalizeWidth(s), ",", "")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 3 || (hasDot && frac == "") || len(whole) > 12 {
		return 0, Errorf(EINVALID, "err.tax.quantity")
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, Errorf(EINVALID, "err.tax.quantity")
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "err.tax.quantity")
	}
	frac += strings.Repeat("0", 3-len(frac))
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Quantity(w*QuantityScale + f), nil
}

// String renders q without trailing zeros: 1500 is "1.5", 2000 is "2".
func (q Quantity) String() string {
	sign := ""
	if q < 0 {
		sign, q = "-", -q
	}
	s := fmt.Sprintf("%s%d", sign, int64(q)/QuantityScale)
	if f := int64(q) % QuantityScale; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
	}
	return s
}

// Limits of an invoice's arithmetic. They keep every product and sum far
// inside int64 and match what the documents' columns can show.
const (
	MaxLines    = 1000                                    // lines on one document
	MaxQuantity = Quantity(1_000_000_000 * QuantityScale) // one billion units
	MaxAmount   = 9_999_999_999_999                       // yen, per line and per document (under 10兆円)
	maxDescLen  = 200                                     // characters of a line's description
)

// Line is one item of a quote, order, delivery note or invoice: yen are
// integers and exclusive of tax.
type Line struct {
	Description string
	Quantity    Quantity // thousandths of a unit
	UnitPrice   int64    // yen, tax-exclusive; negative for a discount (値引き)
	Rate        TaxRate
	Reduced     bool // a 軽減税率 item: marked ※; must go with RateReduced
}

// Amount returns quantity × unit price in yen. A fractional quantity can
// leave a fraction of a yen, which is rounded in the issuer's direction on
// its magnitude, so that a discount is rounded as its price would be. It
// reports false when the product is out of range.
func (l Line) Amount(rounding TaxRounding) (int64, bool) {
	q, p := int64(l.Quantity), l.UnitPrice
	if q < 0 || q > int64(MaxQuantity) || p > MaxAmount || p < -MaxAmount {
		return 0, false
	}
	if q != 0 && abs64(p) > math.MaxInt64/q {
		return 0, false
	}
	a := roundDiv(q*p, QuantityScale, rounding)
	return a, a <= MaxAmount && a >= -MaxAmount
}

// RateTotal is the part of a document at one tax rate.
type RateTotal struct {
	Rate    TaxRate
	Reduced bool  // the reduced rate: shown with ※
	Base    int64 // 税抜の合計額 at this rate
	Tax     int64 // 消費税額 at this rate, rounded once
}

// Summary is what a qualified invoice must show about money: the total per
// rate, the tax per rate and the grand total.
type Summary struct {
	Amounts  []int64     // each line's amount, in the order of the lines
	Rates    []RateTotal // the rates present, in the order of TaxRates
	Subtotal int64       // 税抜合計
	Tax      int64       // 消費税合計: the sum of the per-rate taxes
	Total    int64       // 税込合計
}

// Rate returns the totals at rate r, zero if no line has it.
func (s Summary) Rate(r TaxRate) RateTotal {
	for _, t := range s.Rates {
		if t.Rate == r {
			return t
		}
	}
	return RateTotal{Rate: r, Reduced: r == RateReduced}
}

// HasReduced reports whether any line is at the reduced rate, so that the
// document needs the ※ legend.
func (s Summary) HasReduced() bool {
	for _, t := range s.Rates {
		if t.Reduced {
			return true
		}
	}
	return false
}

// TaxSummary totals lines per tax rate and computes the consumption tax of
// each rate once, on the rate's total, in the issuer's rounding direction —
// the rule of the 適格請求書: tax is never rounded per line. All arithmetic
// is on integers. Invalid lines give an EINVALID error with a message per
// field, named lines.N.field.
func TaxSummary(lines []Line, rounding TaxRounding) (Summary, error) {
	p := Problems{}
	if !rounding.Valid() {
		p.Add("rounding", "err.tax.rounding")
	}
	if len(lines) == 0 {
		p.Add("lines", "err.tax.lines")
	} else if len(lines) > MaxLines {
		p.Add("lines", "err.too_many", MaxLines)
	}
	if err := p.Err(); err != nil {
		return Summary{}, err
	}
	s := Summary{Amounts: make([]int64, len(lines))}
	base := map[TaxRate]int64{}
	for i, l := range lines {
		field := func(name string) string { return fmt.Sprintf("lines.%d.%s", i, name) }
		if d, ok := validText(l.Description, maxDescLen); d == "" {
			p.Add(field("description"), "err.required")
		} else if !ok {
			p.Add(field("description"), "err.text_max", maxDescLen)
		}
		if l.Quantity <= 0 || l.Quantity > MaxQuantity {
			p.Add(field("quantity"), "err.tax.quantity")
		}
		if !l.Rate.Valid() {
			p.Add(field("rate"), "err.tax.rate")
		} else if l.Reduced != (l.Rate == RateReduced) {
			p.Add(field("rate"), "err.tax.reduced")
		}
		a, ok := l.Amount(rounding)
		if !ok {
			p.Add(field("unit_price"), "err.tax.amount_max", int64(MaxAmount))
			continue
		}
		s.Amounts[i] = a
		if l.Rate.Valid() {
			base[l.Rate] += a
			if b := base[l.Rate]; b > MaxAmount || b < -MaxAmount {
				p.Add("lines", "err.tax.amount_max", int64(MaxAmount))
				break
			}
		}
	}
	if err := p.Err(); err != nil {
		return Summary{}, err
	}
	for _, r := range TaxRates {
		b, ok := base[r]
		if !ok {
			continue
		}
		if b < 0 {
			p.Add("lines", "err.tax.negative", int(r))
			continue
		}
		t := RateTotal{Rate: r, Reduced: r == RateReduced, Base: b, Tax: roundDiv(b*int64(r), 100, rounding)}
		s.Rates = append(s.Rates, t)
		s.Subtotal += t.Base
		s.Tax += t.Tax
	}
	if err := p.Err(); err != nil {
		return Summary{}, err
	}
	s.Total = s.Subtotal + s.Tax
	if s.Total > MaxAmount {
		p.Add("lines", "err.tax.amount_max", int64(MaxAmount))
		return Summary{}, p.Err()
	}
	return s, nil
}

// roundDiv returns n/d for d > 0 rounded in the given direction on the
// magnitude of n: -7/2 with RoundFloor is -3, as 7/2 is 3.
func roundDiv(n, d int64, r TaxRounding) int64 {
	if n < 0 {
		return -roundDiv(-n, d, r)
	}
	q, rem := n/d, n%d
	switch r {
	case RoundCeil:
		if rem != 0 {
			q++
		}
	case RoundHalfUp:
		if rem*2 >= d {
			q++
		}
	}
	return q
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
