package nakamawashi_test

import (
	"errors"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func line(desc string, qty nakamawashi.Quantity, price int64, rate nakamawashi.TaxRate) nakamawashi.Line {
	return nakamawashi.Line{Description: desc, Quantity: qty, UnitPrice: price, Rate: rate, Reduced: rate == nakamawashi.RateReduced}
}

// mixed has two 10% and two 8% lines, computed by hand:
// 10%: 3×1,980 + 1×333 = 6,273 → tax 627.3; 8%: 2×1,234 + 1×101 = 2,569 → tax 205.52.
var mixed = []nakamawashi.Line{
	line("旋盤加工 SUS304 φ20", nakamawashi.Units(3), 1980, nakamawashi.RateStandard),
	line("熱処理", nakamawashi.Units(1), 333, nakamawashi.RateStandard),
	line("茶菓子", nakamawashi.Units(2), 1234, nakamawashi.RateReduced),
	line("飲料", nakamawashi.Units(1), 101, nakamawashi.RateReduced),
}

func TestTaxSummary(t *testing.T) {
	type rate struct{ base, tax int64 }
	for _, tt := range []struct {
		name     string
		lines    []nakamawashi.Line
		rounding nakamawashi.TaxRounding
		std, red rate // zero when the rate is absent
		total    int64
	}{
		{"mixed floor", mixed, nakamawashi.RoundFloor, rate{6273, 627}, rate{2569, 205}, 8842 + 832},
		{"mixed ceil", mixed, nakamawashi.RoundCeil, rate{6273, 628}, rate{2569, 206}, 8842 + 834},
		{"mixed half up", mixed, nakamawashi.RoundHalfUp, rate{6273, 627}, rate{2569, 206}, 8842 + 833},
		// 1.5 kg × 333 = 499.5 yen: the line amount is rounded in the issuer's direction too.
		{"fraction floor", []nakamawashi.Line{line("材料 SS400", 1500, 333, 10)}, nakamawashi.RoundFloor, rate{499, 49}, rate{}, 548},
		{"fraction ceil", []nakamawashi.Line{line("材料 SS400", 1500, 333, 10)}, nakamawashi.RoundCeil, rate{500, 50}, rate{}, 550},
		{"fraction half up", []nakamawashi.Line{line("材料 SS400", 1500, 333, 10)}, nakamawashi.RoundHalfUp, rate{500, 50}, rate{}, 550},
		// 0.1 unit × 1 yen is 0.1 yen: ceil makes the line 1 yen, and its tax of 0.1 yen 1 yen.
		{"tenth ceil", []nakamawashi.Line{line("研磨", 100, 1, 10)}, nakamawashi.RoundCeil, rate{1, 1}, rate{}, 2},
		{"tenth floor", []nakamawashi.Line{line("研磨", 100, 1, 10)}, nakamawashi.RoundFloor, rate{0, 0}, rate{}, 0},
		{"zero", []nakamawashi.Line{line("無償修正", nakamawashi.Units(1), 0, 10)}, nakamawashi.RoundCeil, rate{0, 0}, rate{}, 0},
		{"discount", []nakamawashi.Line{
			line("切削加工", nakamawashi.Units(1), 10000, 10),
			line("値引き", nakamawashi.Units(1), -1500, 10),
		}, nakamawashi.RoundFloor, rate{8500, 850}, rate{}, 9350},
		{"only reduced", []nakamawashi.Line{line("弁当", nakamawashi.Units(7), 648, 8)}, nakamawashi.RoundFloor, rate{}, rate{4536, 362}, 4898},
		{"large", []nakamawashi.Line{line("設備一式", nakamawashi.Units(1000), 9_000_000_000, 10)}, nakamawashi.RoundFloor, rate{9_000_000_000_000, 900_000_000_000}, rate{}, 9_900_000_000_000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := nakamawashi.TaxSummary(tt.lines, tt.rounding)
			if err != nil {
				t.Fatal(err)
			}
			std, red := s.Rate(nakamawashi.RateStandard), s.Rate(nakamawashi.RateReduced)
			if got := (rate{std.Base, std.Tax}); got != tt.std {
				t.Errorf("10%%: got %+v, want %+v", got, tt.std)
			}
			if got := (rate{red.Base, red.Tax}); got != tt.red {
				t.Errorf("8%%: got %+v, want %+v", got, tt.red)
			}
			if s.Total != tt.total || s.Total != s.Subtotal+s.Tax || s.Tax != std.Tax+red.Tax {
				t.Errorf("total %d (subtotal %d + tax %d), want %d", s.Total, s.Subtotal, s.Tax, tt.total)
			}
			if s.HasReduced() != (tt.red != rate{}) {
				t.Errorf("HasReduced = %v", s.HasReduced())
			}
		})
	}
}

// TestTaxOncePerRate shows why the rule matters: ten lines of 105 yen at
// 10% carry 10.5 yen of tax each. Rounded per line that is 100 yen (down)
// or 110 yen (half up); the invoice's tax, rounded once on 1,050 yen, is 105.
func TestTaxOncePerRate(t *testing.T) {
	var lines []nakamawashi.Line
	for range 10 {
		lines = append(lines, line("ボルト M6", nakamawashi.Units(1), 105, nakamawashi.RateStandard))
	}
	for _, tt := range []struct {
		rounding      nakamawashi.TaxRounding
		perLine, want int64
	}{
		{nakamawashi.RoundFloor, 100, 105},
		{nakamawashi.RoundCeil, 110, 105},
		{nakamawashi.RoundHalfUp, 110, 105},
	} {
		s, err := nakamawashi.TaxSummary(lines, tt.rounding)
		if err != nil {
			t.Fatal(err)
		}
		var perLine int64
		for _, l := range lines {
			one, err := nakamawashi.TaxSummary([]nakamawashi.Line{l}, tt.rounding)
			if err != nil {
				t.Fatal(err)
			}
			perLine += one.Tax
		}
		if perLine != tt.perLine {
			t.Errorf("%s: per-line rounding gives %d, want %d", tt.rounding, perLine, tt.perLine)
		}
		if s.Tax != tt.want {
			t.Errorf("%s: tax %d, want %d (per-line would be %d)", tt.rounding, s.Tax, tt.want, perLine)
		}
	}
}

func TestTaxSummaryInvalid(t *testing.T) {
	big := line("大型設備", nakamawashi.Units(1), nakamawashi.MaxAmount, 10)
	for _, tt := range []struct {
		name     string
		lines    []nakamawashi.Line
		rounding nakamawashi.TaxRounding
		field    string
		key      string
	}{
		{"no lines", nil, nakamawashi.RoundFloor, "lines", "err.tax.lines"},
		{"no rounding", mixed, "", "rounding", "err.tax.rounding"},
		{"no description", []nakamawashi.Line{line(" ", 1000, 1, 10)}, nakamawashi.RoundFloor, "lines.0.description", "err.required"},
		{"zero quantity", []nakamawashi.Line{mixed[0], line("x", 0, 1, 10)}, nakamawashi.RoundFloor, "lines.1.quantity", "err.tax.quantity"},
		{"rate 5", []nakamawashi.Line{line("x", 1000, 1, 5)}, nakamawashi.RoundFloor, "lines.0.rate", "err.tax.rate"},
		{"reduced at 10", []nakamawashi.Line{{Description: "x", Quantity: 1000, UnitPrice: 1, Rate: 10, Reduced: true}}, nakamawashi.RoundFloor, "lines.0.rate", "err.tax.reduced"},
		{"8 not reduced", []nakamawashi.Line{{Description: "x", Quantity: 1000, UnitPrice: 1, Rate: 8}}, nakamawashi.RoundFloor, "lines.0.rate", "err.tax.reduced"},
		{"negative rate total", []nakamawashi.Line{line("値引き", 1000, -1, 8)}, nakamawashi.RoundFloor, "lines", "err.tax.negative"},
		{"line too large", []nakamawashi.Line{line("x", nakamawashi.Units(2), nakamawashi.MaxAmount, 10)}, nakamawashi.RoundFloor, "lines.0.unit_price", "err.tax.amount_max"},
		{"overflow", []nakamawashi.Line{line("x", nakamawashi.MaxQuantity, nakamawashi.MaxAmount, 10)}, nakamawashi.RoundFloor, "lines.0.unit_price", "err.tax.amount_max"},
		{"sum too large", []nakamawashi.Line{big, big}, nakamawashi.RoundFloor, "lines", "err.tax.amount_max"},
		{"total with tax too large", []nakamawashi.Line{big}, nakamawashi.RoundFloor, "lines", "err.tax.amount_max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nakamawashi.TaxSummary(tt.lines, tt.rounding)
			var e *nakamawashi.Error
			if !errors.As(err, &e) || e.Code != nakamawashi.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if got := e.Fields[tt.field].Key; got != tt.key {
				t.Errorf("field %q: got %q, want %q (all: %v)", tt.field, got, tt.key, err)
			}
			if !nakamawashi.HasMessage(tt.key) {
				t.Errorf("key %q not in the catalog", tt.key)
			}
		})
	}
}

func TestQuantity(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want nakamawashi.Quantity
		ok   bool
		out  string
	}{
		{"12", 12000, true, "12"},
		{"1.5", 1500, true, "1.5"},
		{"0.001", 1, true, "0.001"},
		{"１，０００", 1_000_000, true, "1000"},
		{"２．２５", 2250, true, "2.25"},
		{"1.2345", 0, false, ""},
		{"1.", 0, false, ""},
		{"-1", 0, false, ""},
		{"", 0, false, ""},
		{"abc", 0, false, ""},
	} {
		got, err := nakamawashi.ParseQuantity(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.out {
			t.Errorf("%d.String() = %q, want %q", got, got.String(), tt.out)
		}
	}
}
