package nakamawashi

import "math"

// Offer is what one step of a part will cost and take, from a shop's
// answer or, before there is one, from the directory's estimate.
type Offer struct {
	StepID        int64
	Seq           int
	Process       string
	CompanyID     int64
	CompanyName   string
	RequestID     int64 // 0: estimated
	PriceYen      int64 // the whole step, tax excluded
	LeadDays      int   // working days
	EarliestStart Date
	TransportYen  int64 // into this step from the previous shop (or the material's origin)
	TransportDays int   // working days of that transport (0: same day)
}

// PartOffer is a part with the offers for its steps, in routing order, and
// the delivery from the last shop to the customer.
type PartOffer struct {
	Part         *Part
	Steps        []Offer
	DeliveryYen  int64
	DeliveryDays int
}

// QuoteInput is what a draft quote is assembled from.
type QuoteInput struct {
	Inquiry    *Inquiry
	Parts      []PartOffer
	Fees       Fees
	Today      Date
	ValidDays  int // 0: DefaultQuoteDays
	Rounding   TaxRounding
	BufferDays int // working days kept for inspection and packing before the promise; 0: 1
}

// AssembleQuote builds a draft quote: one line per part whose price covers
// the partners' prices, the transport between them and to the customer,
// the network's commission on both and a share of the usage fee, rounded up
// to Fees.RoundTo yen per piece; and a promise date from the chain of
// steps: each step starts on the later of its shop's earliest start and the
// working day after the previous step's finish plus the transport days,
// runs its lead days, and the promise is the last part's arrival plus the
// buffer. The customer sees the lines and the date; Costing keeps the rest.
func AssembleQuote(in QuoteInput) (*Quote, error) {
	p := Problems{}
	if in.Inquiry == nil || len(in.Parts) == 0 {
		p.Add("parts", "err.flow.parts_required")
		return nil, p.Err()
	}
	if err := in.Fees.Validate(); err != nil {
		return nil, err
	}
	if in.Today.IsZero() {
		p.Add("today", "err.required")
		return nil, p.Err()
	}
	validDays := in.ValidDays
	if validDays <= 0 {
		validDays = DefaultQuoteDays
	}
	if validDays > MaxQuoteValidDays {
		validDays = MaxQuoteValidDays
	}
	buffer := in.BufferDays
	if buffer <= 0 {
		buffer = 1
	}
	rounding := in.Rounding
	if !rounding.Valid() {
		rounding = RoundFloor
	}
	q := &Quote{InquiryID: in.Inquiry.ID, Status: QuoteDraft, Subject: in.Inquiry.Title, Rounding: rounding,
		ValidUntil: in.Today.AddDays(validDays), Costing: &Costing{}}

	// Costs per part before the usage fee, to share the fee out.
	costs := make([]int64, len(in.Parts))
	var all int64
	for i, po := range in.Parts {
		if po.Part == nil || po.Part.Quantity <= 0 {
			p.Add("parts."+itoa(i), "err.flow.parts_required")
			continue
		}
		if len(po.Steps) == 0 {
			p.Add("parts."+itoa(i)+".steps", "err.flow.steps_required")
			continue
		}
		var partner, transport int64
		start := in.Today.AddWorkdays(1) // work starts at the earliest on the next working day
		var finish Date
		for j, o := range po.Steps {
			if o.PriceYen < 0 || o.PriceYen > MaxAmount || o.TransportYen < 0 || o.LeadDays < 0 || o.TransportDays < 0 {
				p.Add("parts."+itoa(i)+".steps."+itoa(j), "err.flow.offer")
				continue
			}
			partner += o.PriceYen
			transport += o.TransportYen
			if j > 0 {
				start = finish.AddWorkdays(max(o.TransportDays, 1))
			} else if o.TransportDays > 0 {
				start = start.AddWorkdays(o.TransportDays)
			}
			start = MaxDate(start, o.EarliestStart).AddWorkdays(0)
			finish = start.AddWorkdays(max(o.LeadDays, 1) - 1)
			q.Costing.Steps = append(q.Costing.Steps, StepCost{PartID: po.Part.ID, StepID: o.StepID, Seq: o.Seq,
				Process: o.Process, CompanyID: o.CompanyID, CompanyName: o.CompanyName, RequestID: o.RequestID,
				PriceYen: o.PriceYen, LeadDays: o.LeadDays, Start: start, Finish: finish,
				TransportYen: o.TransportYen, TransportDays: o.TransportDays, Estimated: o.RequestID == 0})
		}
		transport += po.DeliveryYen
		arrival := finish.AddWorkdays(po.DeliveryDays + buffer)
		q.PromisedDate = MaxDate(q.PromisedDate, arrival)
		q.Costing.PartnerYen += partner
		q.Costing.TransportYen += transport
		commission := int64(math.Ceil(float64(partner+transport) * in.Fees.CommissionPercent / 100))
		q.Costing.CommissionYen += commission
		costs[i] = partner + transport + commission
		all += costs[i]
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.Costing.UsageFeeYen = in.Fees.UsageFeeYen
	var shared int64
	for i, po := range in.Parts {
		fee := int64(0)
		if all > 0 {
			if i == len(in.Parts)-1 {
				fee = in.Fees.UsageFeeYen - shared
			} else {
				fee = in.Fees.UsageFeeYen * costs[i] / all
				shared += fee
			}
		}
		qty := int64(po.Part.Quantity)
		unit := ceilTo(ceilDiv(costs[i]+fee, qty), in.Fees.RoundTo)
		line := QuoteLine{PartID: po.Part.ID, Description: po.Part.Name, PartNumber: po.Part.DrawingNumber,
			Quantity: po.Part.Quantity, Unit: "個", UnitPrice: unit, Rate: RateStandard}
		line.Amount = unit * qty
		q.Lines = append(q.Lines, line)
	}
	if err := q.Totals(); err != nil {
		return nil, err
	}
	q.Costing.MarginYen = q.Subtotal - q.Costing.PartnerYen - q.Costing.TransportYen
	return q, nil
}

// Totals computes the lines' amounts, the subtotal, the tax (once per rate)
// and the total.
func (q *Quote) Totals() error {
	lines := make([]Line, len(q.Lines))
	for i, l := range q.Lines {
		lines[i] = Line{Description: l.Description, Quantity: Units(int64(l.Quantity)), UnitPrice: l.UnitPrice, Rate: l.Rate}
	}
	s, err := TaxSummary(lines, q.Rounding)
	if err != nil {
		return err
	}
	for i := range q.Lines {
		q.Lines[i].Amount = s.Amounts[i]
	}
	q.Subtotal, q.Tax, q.Total = s.Subtotal, s.Tax, s.Total
	return nil
}

// Validate checks a quote a coordinator writes or changes.
func (q *Quote) Validate(today Date) error {
	p := Problems{}
	q.Subject = NormalizeName(q.Subject)
	if q.InquiryID <= 0 {
		p.Add("inquiry_id", "err.required")
	}
	if q.Subject == "" {
		p.Add("subject", "err.required")
	} else if _, ok := validText(q.Subject, 200); !ok {
		p.Add("subject", "err.text_max", 200)
	}
	if len(q.Lines) == 0 {
		p.Add("lines", "err.flow.parts_required")
	}
	for i, l := range q.Lines {
		if l.Quantity <= 0 {
			p.Add("lines."+itoa(i)+".quantity", "err.range", 1, 10_000_000)
		}
		if l.UnitPrice < 0 || l.UnitPrice > MaxAmount {
			p.Add("lines."+itoa(i)+".unit_price", "err.range", 0, int64(MaxAmount))
		}
		if !l.Rate.Valid() {
			p.Add("lines."+itoa(i)+".rate", "err.tax.rate")
		}
	}
	if q.ValidUntil.IsZero() {
		q.ValidUntil = today.AddDays(DefaultQuoteDays)
	} else if q.ValidUntil.Before(today) || today.DaysUntil(q.ValidUntil) > MaxQuoteValidDays {
		p.Add("valid_until", "err.flow.valid_until", MaxQuoteValidDays)
	}
	if q.PromisedDate.IsZero() {
		p.Add("promised_date", "err.required")
	} else if q.PromisedDate.Before(today) {
		p.Add("promised_date", "err.flow.past_date")
	}
	if !q.Rounding.Valid() {
		q.Rounding = RoundFloor
	}
	if !validLines(q.Notes, 2000) {
		p.Add("notes", "err.text_max", 2000)
	}
	if err := p.Err(); err != nil {
		return err
	}
	return q.Totals()
}

func ceilDiv(a, b int64) int64 {
	if b <= 0 {
		return a
	}
	return (a + b - 1) / b
}

func ceilTo(v, step int64) int64 {
	if step <= 1 {
		return v
	}
	return ceilDiv(v, step) * step
}
