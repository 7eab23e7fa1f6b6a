package http_test

import (
	"mime"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

// Fuzz tests of the order flow's parsers of paths, queries and forms:
// whatever comes in, no panic, and either a value within its bounds or a
// refusal a person can act on (invalid or not found), never an internal
// error.

// wantClientError fails t unless err is a refusal of the caller's input.
func wantClientError(t *testing.T, what string, err error) {
	t.Helper()
	switch c := nakamawashi.ErrorCode(err); c {
	case nakamawashi.EINVALID, nakamawashi.ENOTFOUND:
	default:
		t.Fatalf("%s: error %q (%v), want invalid or not found", what, c, err)
	}
	if msg := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); msg == "" || strings.Contains(msg, "%!") {
		t.Fatalf("%s: message %q", what, msg)
	}
}

func FuzzLotCode(f *testing.F) {
	for _, s := range []string{"abcdefghijkmnpqr", "2345678923456789", "", "a", strings.Repeat("a", 64), strings.Repeat("a", 65),
		"../etc/passwd", "lot 1", "ロット", "a%2Fb", "A-b_c", "\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		got, err := nkmhttp.LotCode(code)
		page := nkmhttp.TravelerCodeOK(code)
		if (err == nil) != page {
			t.Fatalf("%q: the API says %v, the traveler page %v", code, err, page)
		}
		if err != nil {
			wantClientError(t, "lot code", err)
			return
		}
		if got != code || len(code) == 0 || len(code) > 64 {
			t.Fatalf("%q: read as %q", code, got)
		}
		for _, c := range code {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				t.Fatalf("%q: took %q", code, c)
			}
		}
	})
}

func FuzzQueryAmounts(f *testing.F) {
	for _, s := range []string{"", "min_amount=1000", "min_amount=1,000&max_amount=２０００", "min_amount=5&max_amount=4",
		"min_amount=-1", "max_amount=99999999999999999999", "min_amount=+7", "min_amount=%20%201%20", "min_amount=1e3",
		"min_amount=" + strconv.FormatInt(nakamawashi.MaxAmount, 10), "max_amount=0x10", "min_amount=%ff", "min_amount=1;max_amount=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		lo, hi, err := nkmhttp.QueryAmounts(q)
		if err != nil {
			wantClientError(t, "amounts", err)
			return
		}
		for _, v := range []*int64{lo, hi} {
			if v != nil && (*v < 0 || *v > nakamawashi.MaxAmount) {
				t.Fatalf("%q: amount %d out of range", q, *v)
			}
		}
		if lo != nil && hi != nil && *hi < *lo {
			t.Fatalf("%q: max %d below min %d", q, *hi, *lo)
		}
	})
}

func FuzzFlowQuery(f *testing.F) {
	for _, s := range []string{"", "offset=10&limit=20", "company_id=3&from=2026-04-01&to=2026-03-01", "status=quoted&counterparty=%E7%A7%98",
		"kind=invoice&all_versions=1&counterparty_id=x", "kind=nope", "limit=-1", "offset=99999999999999999999", "from=2026-02-30",
		"min_amount=10&max_amount=5", "all_versions=maybe", "number=Q2026-00001&counterparty_id=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ff, err := nkmhttp.FlowFilter(q)
		if err != nil {
			wantClientError(t, "flow filter", err)
		} else if ff.Offset < 0 || ff.Limit < 0 || ff.CompanyID < 0 || !ff.From.IsZero() && !ff.To.IsZero() && ff.To.Before(ff.From) {
			t.Fatalf("%q: flow filter %+v", q, ff)
		}
		df, err := nkmhttp.DocumentFilter(q)
		if err != nil {
			wantClientError(t, "document filter", err)
		} else if df.Offset < 0 || df.Limit < 0 || df.CounterpartyID < 0 || df.Kind != "" && !df.Kind.Valid() {
			t.Fatalf("%q: document filter %+v", q, df)
		}
	})
}

func FuzzAttachment(f *testing.F) {
	for _, s := range []string{"G-001.pdf", "図面 改訂版.dxf", "", `a"b\c.pdf`, "a;b=c.pdf", "100%.png", "x\r\nSet-Cookie: a=b",
		"\x00\x7f", "\xff\xfe.pdf", "a+b.step", "../../etc/passwd", "ｆｕｌｌ.pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		h := nkmhttp.Attachment(name)
		for i := 0; i < len(h); i++ {
			if c := h[i]; c < 0x20 || c >= 0x7f {
				t.Fatalf("%q: the header has byte %#x: %q", name, c, h)
			}
		}
		disp, params, err := mime.ParseMediaType(h)
		if err != nil || disp != "attachment" {
			t.Fatalf("%q: %q does not parse: %v", name, h, err)
		}
		// The UTF-8 name (filename*) comes back as the name sent.
		if utf8.ValidString(name) && params["filename"] != name {
			t.Fatalf("%q: a browser reads %q from %q", name, params["filename"], h)
		}
		if b := nkmhttp.BaseName(name); strings.ContainsAny(b, `/\`) {
			t.Fatalf("%q: base name %q", name, b)
		}
	})
}

func FuzzFlowFormNumbers(f *testing.F) {
	for _, s := range [][3]string{{"2026-04-01", "12000", "3"}, {"２０２６/０４/０１", "１２，０００", "0"}, {"", "", ""},
		{"2026-13-01", "-5", "-1"}, {"20260401", "1e9", "x"}, {"2026-02-29", "999999999999999999", "99999999999999999999"},
		{" 2026-04-01 ", " 1,000 ", " 7 "}, {"\xff", "\xff", "\xff"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, date, yen, id string) {
		d, v, list, err := nkmhttp.FormNumbers(date, yen, []string{id, "1"})
		if err != nil {
			wantClientError(t, "form numbers", err)
			return
		}
		if strings.TrimSpace(nakamawashi.NormalizeWidth(date)) == "" && !d.IsZero() {
			t.Fatalf("%q: an empty date read as %s", date, d)
		}
		if v > 999_999_999_999_999 || v < -99_999_999_999_999 {
			t.Fatalf("%q: %d yen from at most 15 characters", yen, v)
		}
		for _, x := range list {
			if x <= 0 {
				t.Fatalf("%q: id %d", id, x)
			}
		}
	})
}

func FuzzInquiryForm(f *testing.F) {
	f.Add("試作シャフト", "2026-06-01", "本社", "シャフト", "5", "round", "30", "150", "S45C", "3")
	f.Add("", "", "", "", "", "", "", "", "", "")
	f.Add("x", "2026-02-30", "y", "部品", "-1", "box", "abc", "1e400", "", "0")
	f.Add(strings.Repeat("長", 300), "２０２６－０６－０１", "\x00", "\xff", "１０", "sphere", "NaN", "-0", "\u3000", "x")
	f.Fuzz(func(t *testing.T, title, date, place, name, qty, shape, d, l, material, customer string) {
		v := url.Values{"title": {title}, "desired_date": {date}, "delivery_place": {place}, "customer_id": {customer},
			"parts.0.name": {name}, "parts.0.quantity": {qty}, "parts.0.shape": {shape}, "parts.0.d": {d}, "parts.0.l": {l},
			"parts.1.material": {material}, "parts.2.tolerance_um": {d}}
		for _, a := range []*nakamawashi.Actor{
			{UserID: 1, CompanyID: 7, CompanyKind: nakamawashi.KindCustomer, Role: nakamawashi.RoleOwner},
			{UserID: 2, CompanyID: 1, CompanyKind: nakamawashi.KindOffice, Role: nakamawashi.RoleCoordinator},
		} {
			q, rows, err := nkmhttp.InquiryForm(v, a)
			if err != nil {
				wantClientError(t, "inquiry form", err)
				// Every problem is on an input of the form.
				for field := range nakamawashi.ErrorFields(nakamawashi.Japanese, err) {
					if !inquiryFormField(field) {
						t.Fatalf("a problem on %q, no input of the form", field)
					}
				}
				continue
			}
			if len(q.Parts) != len(rows) || len(q.Parts) == 0 {
				t.Fatalf("%d parts from %d rows", len(q.Parts), len(rows))
			}
			for i, row := range rows {
				if row < 0 || row >= nkmhttp.InquiryPartRows || i > 0 && row <= rows[i-1] {
					t.Fatalf("rows %v", rows)
				}
				if q.Parts[i].Quantity <= 0 {
					t.Fatalf("part %d: quantity %d", i, q.Parts[i].Quantity)
				}
			}
			if q.CustomerID <= 0 {
				t.Fatalf("customer %d", q.CustomerID)
			}
		}
	})
}

// inquiryFormField reports whether the new inquiry form has an input (or
// a message place) named field.
func inquiryFormField(field string) bool {
	switch field {
	case "title", "desired_date", "delivery_place", "notes", "customer_id":
		return true
	}
	rest, ok := strings.CutPrefix(field, "parts.")
	if !ok {
		return false
	}
	row, sub, ok := strings.Cut(rest, ".")
	n, err := strconv.Atoi(row)
	if !ok || err != nil || n < 0 || n >= nkmhttp.InquiryPartRows {
		return false
	}
	switch sub {
	case "drawing_number", "name", "material", "quantity", "size", "tolerance_um", "roughness_ra", "surface", "notes", "drawing":
		return true
	}
	return false
}
