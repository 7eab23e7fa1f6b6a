package document

import (
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Quote is a 見積書 to a customer: the items, the subtotal, the tax per
// rate, the total, how long the price holds, when the work can be delivered
// and how it is to be paid.
type Quote struct {
	Number   string    // 見積番号
	Date     time.Time // 発行日
	Customer Party
	Issuer   Party
	Subject  string
	Items    []Item
	Rounding nakamawashi.TaxRounding
	// ValidUntil is the last day the quote holds (有効期限).
	ValidUntil time.Time
	// DeliveryDate is the promised 納期; DeliveryTerms replaces or explains it
	// (受注後10営業日).
	DeliveryDate  time.Time
	DeliveryTerms string
	PaymentTerms  string // 支払条件, e.g. 月末締め翌月末払い
	Notes         string
}

// Validate reports every problem of the quote as one EINVALID error.
func (q *Quote) Validate() error {
	p := nakamawashi.Problems{}
	q.validate(p)
	return p.Err()
}

func (q *Quote) validate(p nakamawashi.Problems) nakamawashi.Summary {
	requiredDate(p, "date", q.Date)
	requiredDate(p, "valid_until", q.ValidUntil)
	if !q.Date.IsZero() && !q.ValidUntil.IsZero() && day(q.ValidUntil).Before(day(q.Date)) {
		p.Add("valid_until", "err.doc.period")
	}
	q.Customer.validate(p, "customer", false)
	q.Issuer.validate(p, "issuer", false)
	return summarize(p, q.Items, q.Rounding)
}

// Render validates the quote and the options and returns the PDF.
func (q *Quote) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	s := q.validate(p)
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.Quote", err)
	}
	r.header("doc.title.quote", q.Number, "doc.date", q.Date)
	r.parties(q.Customer, q.Issuer, q.Issuer.RegistrationNumber != "", "", "")
	r.intro("doc.intro.quote")
	r.amount("doc.total.quote", s.Total)
	delivery := r.date(q.DeliveryDate)
	if q.DeliveryTerms != "" {
		delivery = joinNonEmpty(delivery, q.DeliveryTerms)
	}
	r.fields([]field{
		{"doc.subject", q.Subject},
		{"doc.delivery_date", delivery},
		{"doc.payment_terms", q.PaymentTerms},
		{"doc.valid_until", r.date(q.ValidUntil)},
	})
	r.items(q.Items, s)
	r.notes("doc.notes", q.Notes)
	return r.bytes()
}

// joinNonEmpty joins the non-empty parts with a full-width space.
func joinNonEmpty(parts ...string) string {
	out := ""
	for _, s := range parts {
		if s == "" {
			continue
		}
		if out != "" {
			out += "　"
		}
		out += s
	}
	return out
}
