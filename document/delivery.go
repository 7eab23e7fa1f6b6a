package document

import (
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// DeliveryNote is a 納品書: what was delivered against which order, with a
// box for the receiver's stamp (受領印).
type DeliveryNote struct {
	Number      string    // 納品書番号
	Date        time.Time // 納品日
	Customer    Party
	Issuer      Party
	OrderNumber string // the customer's 注文番号
	Subject     string
	Items       []Item
	Rounding    nakamawashi.TaxRounding
	Notes       string
}

// Validate reports every problem of the delivery note as one EINVALID error.
func (d *DeliveryNote) Validate() error {
	p := nakamawashi.Problems{}
	d.validate(p)
	return p.Err()
}

func (d *DeliveryNote) validate(p nakamawashi.Problems) nakamawashi.Summary {
	requiredDate(p, "date", d.Date)
	d.Customer.validate(p, "customer", false)
	d.Issuer.validate(p, "issuer", false)
	return summarize(p, d.Items, d.Rounding)
}

// Render validates the delivery note and the options and returns the PDF.
func (d *DeliveryNote) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	s := d.validate(p)
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.DeliveryNote", err)
	}
	r.header("doc.title.delivery_note", d.Number, "doc.date", d.Date)
	r.parties(d.Customer, d.Issuer, d.Issuer.RegistrationNumber != "", "", "")
	r.intro("doc.intro.delivery")
	r.amount("doc.total.delivery", s.Total)
	r.fields([]field{
		{"doc.order_number", d.OrderNumber},
		{"doc.subject", d.Subject},
	})
	r.items(d.Items, s)
	r.notes("doc.notes", d.Notes)
	r.stampBox("doc.received")
	return r.bytes()
}

// stampBox draws a labelled square for a stamp at the right.
func (r *renderer) stampBox(key string) {
	const size = 22
	r.font(sizeSmall, false)
	lh := r.lineHeight() + 1
	r.ensure(size + lh)
	x := r.right - size
	r.shade(x, r.y, size, lh)
	r.text(x, r.y+0.5, size, r.l(key), alignCenter)
	r.box(x, r.y+lh, size, size)
	r.y += size + lh + 2
}
