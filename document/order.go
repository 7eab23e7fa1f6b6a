package document

import (
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Supply says whether the buyer supplies materials for the work, and on
// what terms: a term 取適法 asks a purchase order to state.
type Supply string

// The ways materials may be supplied.
const (
	SupplyNone Supply = "none" // 支給品なし
	SupplyPaid Supply = "paid" // 有償支給: the supplier pays for the materials
	SupplyFree Supply = "free" // 無償支給
)

// Materials are the materials the buyer supplies.
type Materials struct {
	Supply      Supply
	Description string // 品名・数量・引渡し日・場所
	// Terms are, for paid supply, the price and how and when it is settled
	// (対価・決済の期日と方法); 取適法 forbids collecting it before the
	// goods made with it are paid for.
	Terms string
}

// PaymentDays is the most 取適法 allows between receiving a subcontractor's
// work and paying for it: 60 days counted from, and including, the day of
// receipt.
const PaymentDays = 60

// PaymentDeadline returns the last payment date 取適法 allows for work
// received on delivery: the 60th day counting the day of receipt as the
// first, that is delivery + 59 days.
func PaymentDeadline(delivery time.Time) time.Time {
	return day(delivery).AddDate(0, 0, PaymentDays-1)
}

// PurchaseOrder is a 注文書 to a subcontractor, carrying the items 取適法
// (the former 下請法) requires in writing: both parties, the order date, the
// content of the work, the delivery date and place, the inspection date, the
// amount, the payment date (within 60 days of delivery), the payment method
// and the terms of supplied materials.
type PurchaseOrder struct {
	Number         string    // 注文番号
	OrderDate      time.Time // 発注日
	Buyer          Party     // 発注者, the issuer
	Supplier       Party     // 受注者
	Subject        string
	WorkContent    string // 給付の内容
	Items          []Item
	Rounding       nakamawashi.TaxRounding
	DeliveryDate   time.Time // 納期: the day the work is received
	DeliveryPlace  string    // 納入場所
	InspectionDate time.Time // 検査完了日
	PaymentDate    time.Time // 支払期日
	PaymentMethod  string    // 支払方法, e.g. 銀行振込（手数料当社負担）
	Materials      Materials
	Notes          string
}

// Validate reports every problem of the order as one EINVALID error; a
// payment date later than PaymentDeadline is refused.
func (po *PurchaseOrder) Validate() error {
	p := nakamawashi.Problems{}
	po.validate(p, "")
	return p.Err()
}

func (po *PurchaseOrder) validate(p nakamawashi.Problems, prefix string) nakamawashi.Summary {
	f := func(name string) string { return prefix + name }
	requiredDate(p, f("order_date"), po.OrderDate)
	requiredDate(p, f("delivery_date"), po.DeliveryDate)
	requiredDate(p, f("inspection_date"), po.InspectionDate)
	requiredDate(p, f("payment_date"), po.PaymentDate)
	po.Buyer.validate(p, f("buyer"), false)
	po.Supplier.validate(p, f("supplier"), false)
	for name, v := range map[string]string{"work_content": po.WorkContent, "delivery_place": po.DeliveryPlace, "payment_method": po.PaymentMethod} {
		if strings.TrimSpace(v) == "" {
			p.Add(f(name), "err.required")
		}
	}
	if !po.OrderDate.IsZero() && !po.DeliveryDate.IsZero() && day(po.DeliveryDate).Before(day(po.OrderDate)) {
		p.Add(f("delivery_date"), "err.doc.delivery_before_order")
	}
	if !po.DeliveryDate.IsZero() && !po.InspectionDate.IsZero() && day(po.InspectionDate).Before(day(po.DeliveryDate)) {
		p.Add(f("inspection_date"), "err.doc.inspection")
	}
	if !po.DeliveryDate.IsZero() && !po.PaymentDate.IsZero() {
		if limit := PaymentDeadline(po.DeliveryDate); day(po.PaymentDate).After(limit) {
			p.Add(f("payment_date"), "err.doc.payment_late", nakamawashi.FormatSeireki(limit))
		}
	}
	switch m := po.Materials; m.Supply {
	case SupplyNone:
	case SupplyFree, SupplyPaid:
		if strings.TrimSpace(m.Description) == "" || (m.Supply == SupplyPaid && strings.TrimSpace(m.Terms) == "") {
			p.Add(f("materials"), "err.doc.supply_terms")
		}
	default:
		p.Add(f("materials.supply"), "err.doc.supply")
	}
	s := summarize(p, po.Items, po.Rounding)
	if prefix != "" {
		for k, v := range p {
			if strings.HasPrefix(k, "items") || k == "rounding" {
				delete(p, k)
				p[prefix+k] = v
			}
		}
	}
	return s
}

// Render validates the order and the options and returns the PDF.
func (po *PurchaseOrder) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	s := po.validate(p, "")
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.PurchaseOrder", err)
	}
	r.header("doc.title.purchase_order", po.Number, "doc.order_date", po.OrderDate)
	r.parties(po.Supplier, po.Buyer, false, "doc.supplier", "doc.buyer")
	r.intro("doc.intro.order")
	po.body(r, s, "", "")
	return r.bytes()
}

// body draws the terms, items and totals shared by the order and its
// acknowledgement.
func (po *PurchaseOrder) body(r *renderer, s nakamawashi.Summary, orderNumber, paymentTerms string) {
	r.amount("doc.total.order", s.Total)
	r.fields([]field{
		{"doc.order_number", orderNumber},
		{"doc.subject", po.Subject},
		{"doc.work_content", po.WorkContent},
		{"doc.delivery_date", r.date(po.DeliveryDate)},
		{"doc.delivery_place", po.DeliveryPlace},
		{"doc.inspection_date", r.date(po.InspectionDate)},
		{"doc.payment_date", r.date(po.PaymentDate)},
		{"doc.payment_method", po.PaymentMethod},
		{"doc.payment_terms", paymentTerms},
		{"doc.materials", joinNonEmpty(r.l("doc.materials."+string(po.Materials.Supply)), po.Materials.Description, po.Materials.Terms)},
	})
	r.items(po.Items, s)
	r.notes("doc.notes", po.Notes)
}

// OrderAcknowledgement is a 注文請書: the supplier's acceptance of a
// purchase order, repeating its terms, addressed to the buyer and issued
// (and sealed) by the supplier.
type OrderAcknowledgement struct {
	Number string    // 請書番号
	Date   time.Time // 発行日
	Order  *PurchaseOrder
	// PaymentTerms are the buyer's 支払条件 (月末締め翌月末払い) when the
	// acknowledgement answers a customer's order rather than a
	// subcontract: the order's inspection date, payment date, payment
	// method and delivery place, which 取適法 asks of a subcontract, are
	// then optional.
	PaymentTerms string
}

// Validate reports every problem of the acknowledgement and its order as one
// EINVALID error; the order's fields are named order.field.
func (a *OrderAcknowledgement) Validate() error {
	p := nakamawashi.Problems{}
	a.validate(p)
	return p.Err()
}

func (a *OrderAcknowledgement) validate(p nakamawashi.Problems) nakamawashi.Summary {
	requiredDate(p, "date", a.Date)
	if a.Order == nil {
		p.Add("order", "err.required")
		return nakamawashi.Summary{}
	}
	s := a.Order.validate(p, "order.")
	if strings.TrimSpace(a.PaymentTerms) != "" {
		po := a.Order
		for field, empty := range map[string]bool{"inspection_date": po.InspectionDate.IsZero(),
			"payment_date": po.PaymentDate.IsZero(), "payment_method": strings.TrimSpace(po.PaymentMethod) == "",
			"delivery_place": strings.TrimSpace(po.DeliveryPlace) == ""} {
			if empty {
				delete(p, "order."+field)
			}
		}
	}
	return s
}

// Render validates the acknowledgement and the options and returns the PDF.
func (a *OrderAcknowledgement) Render(opt Options) ([]byte, error) {
	p := nakamawashi.Problems{}
	s := a.validate(p)
	opt.validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := newRenderer(opt)
	if err != nil {
		return nil, nakamawashi.Internal("document.OrderAcknowledgement", err)
	}
	po := a.Order
	r.header("doc.title.acknowledgement", a.Number, "doc.date", a.Date)
	r.parties(po.Buyer, po.Supplier, false, "doc.buyer", "doc.supplier")
	r.intro("doc.intro.acknowledgement")
	po.body(r, s, po.Number, a.PaymentTerms)
	return r.bytes()
}
