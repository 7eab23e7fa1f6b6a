package document

import (
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Invoice is a 適格請求書 (qualified invoice). It shows what the law asks:
// the issuer's name and registration number, the date, the items with the
// reduced-rate ones marked ※ and a legend, the total and the consumption
// tax per rate (each rounded once, by TaxSummary) and the recipient, 御中 for
// a company.
type Invoice struct {
	Number    string    // 請求書番号
	Date      time.Time // 発行日
	Recipient Party
	Issuer    Party // its RegistrationNumber is required
	Subject   string
	// PeriodFrom and PeriodTo give the 取引期間 of a monthly invoice; the
	// items' own dates may give the 取引年月日 instead.
	PeriodFrom, PeriodTo time.Time
	Items                []Item
	Rounding             nakamawashi.TaxRounding // the issuer's setting
	DueDate              time.Time               // お支払期限, optional
	Bank                 string                  // お振込先, optional
	Notes                string
}

// Validate reports every problem of the invoice as one EINVALID error.
func (inv *Invoice) Validate() error {
	p := nakamawashi.Problems{}
	inv.validate(p)
	return p.Err()
}

func (inv *Invoice) validate(p nakamawashi.Problems) nakamawashi.Summary {
	requiredDate(p, "date", inv.Date)
	inv.Recipient.validate(p, "recipient", false)
	inv.Issuer.validate(p, "issuer", true)
	if !inv.PeriodFrom.IsZero() && !inv.PeriodTo.IsZero() && day(inv.PeriodTo).Before(day(inv.PeriodFrom)) {
		p.Add("period_to", "err.doc.period")
	}
	return summarize(p, inv.Items, inv.Rounding)
}

// Render validates the invoice and the options and returns the PDF.
func (inv *Invoice) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	s := inv.validate(p)
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.Invoice", err)
	}
	r.header("doc.title.invoice", inv.Number, "doc.date", inv.Date)
	r.parties(inv.Recipient, inv.Issuer, true, "", "")
	r.intro("doc.intro.invoice")
	r.amount("doc.total.invoice", s.Total)
	period := ""
	if !inv.PeriodFrom.IsZero() || !inv.PeriodTo.IsZero() {
		period = r.l("doc.period_range", r.date(inv.PeriodFrom), r.date(inv.PeriodTo))
	}
	r.fields([]field{
		{"doc.subject", inv.Subject},
		{"doc.period", period},
		{"doc.due_date", r.date(inv.DueDate)},
		{"doc.bank", inv.Bank},
	})
	r.items(inv.Items, s)
	r.notes("doc.notes", inv.Notes)
	return r.bytes()
}
