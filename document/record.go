package document

import (
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// RenderIssued renders an issued business record from the data it was
// issued with, so that the PDF can be made again exactly as it was sent. A
// corrected version (Version 2 and later) says so under its title, with
// its reason, unless opt already carries a Correction.
func RenderIssued(d *nakamawashi.IssuedDocument, opt Options) ([]byte, error) {
	if d == nil || d.Data == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.doc.record_data")
	}
	if opt.Correction == nil && d.Version > 1 {
		opt.Correction = &Correction{Version: d.Version, Reason: d.Reason}
	}
	data := d.Data
	date := d.Date.Time()
	switch d.Kind {
	case nakamawashi.DocQuote:
		q := &Quote{
			Number:        d.Number,
			Date:          date,
			Customer:      partyOf(data.Recipient),
			Issuer:        partyOf(data.Issuer),
			Subject:       data.Subject,
			Items:         itemsOf(data.Items),
			Rounding:      data.Rounding,
			ValidUntil:    data.ValidUntil.Time(),
			DeliveryDate:  data.DeliveryDate.Time(),
			DeliveryTerms: data.DeliveryTerms,
			PaymentTerms:  data.PaymentTerms,
			Notes:         data.Notes,
		}
		return q.Render(opt)
	case nakamawashi.DocPurchaseOrder:
		po := purchaseOrderOf(d.Number, date, data, partyOf(data.Issuer), partyOf(data.Recipient))
		return po.Render(opt)
	case nakamawashi.DocOrderAck:
		// The network's acknowledgement of the customer's order: the
		// customer is the buyer, the issuer the supplier.
		po := purchaseOrderOf(data.OrderNumber, date, data, partyOf(data.Recipient), partyOf(data.Issuer))
		if po.WorkContent == "" {
			po.WorkContent = data.Subject // what was ordered: the quote's subject and lines
		}
		ack := &OrderAcknowledgement{Number: d.Number, Date: date, Order: po, PaymentTerms: data.PaymentTerms}
		return ack.Render(opt)
	case nakamawashi.DocDeliveryNote:
		dn := &DeliveryNote{
			Number:      d.Number,
			Date:        date,
			Customer:    partyOf(data.Recipient),
			Issuer:      partyOf(data.Issuer),
			OrderNumber: data.OrderNumber,
			Subject:     data.Subject,
			Items:       itemsOf(data.Items),
			Rounding:    data.Rounding,
			Notes:       data.Notes,
		}
		return dn.Render(opt)
	case nakamawashi.DocInvoice:
		inv := &Invoice{
			Number:     d.Number,
			Date:       date,
			Recipient:  partyOf(data.Recipient),
			Issuer:     partyOf(data.Issuer),
			Subject:    data.Subject,
			PeriodFrom: data.PeriodFrom.Time(),
			PeriodTo:   data.PeriodTo.Time(),
			Items:      itemsOf(data.Items),
			Rounding:   data.Rounding,
			DueDate:    data.DueDate.Time(),
			Bank:       data.Bank,
			Notes:      data.Notes,
		}
		return inv.Render(opt)
	}
	return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.doc.record_kind")
}

func purchaseOrderOf(number string, date time.Time, data *nakamawashi.DocumentData, buyer, supplier Party) *PurchaseOrder {
	supply := Supply(data.Supply)
	if supply == "" {
		supply = SupplyNone
	}
	return &PurchaseOrder{
		Number:         number,
		OrderDate:      date,
		Buyer:          buyer,
		Supplier:       supplier,
		Subject:        data.Subject,
		WorkContent:    data.WorkContent,
		Items:          itemsOf(data.Items),
		Rounding:       data.Rounding,
		DeliveryDate:   data.DeliveryDate.Time(),
		DeliveryPlace:  data.DeliveryPlace,
		InspectionDate: data.InspectionDate.Time(),
		PaymentDate:    data.PaymentDate.Time(),
		PaymentMethod:  data.PaymentMethod,
		Materials:      Materials{Supply: supply, Description: data.SupplyDescription, Terms: data.SupplyTerms},
		Notes:          data.Notes,
	}
}

// partyOf returns the printed party of a record.
func partyOf(p nakamawashi.DocParty) Party {
	return Party{
		Name:               p.Name,
		Person:             p.Person,
		Department:         p.Department,
		Contact:            p.Contact,
		PostalCode:         p.PostalCode,
		Address:            p.Address,
		Phone:              p.Phone,
		Fax:                p.Fax,
		RegistrationNumber: p.RegistrationNumber,
	}
}

// itemsOf returns the lines of a record as document items.
func itemsOf(items []nakamawashi.DocItem) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = Item{
			Line: nakamawashi.Line{Description: it.Description, Quantity: it.Quantity, UnitPrice: it.UnitPrice,
				Rate: it.Rate, Reduced: it.Reduced},
			Date:       it.Date.Time(),
			PartNumber: it.PartNumber,
			Unit:       it.Unit,
		}
	}
	return out
}

// TravelerOf returns the traveler (現品票) of a lot: its number, part,
// quantity and routing with each step's shop and planned finish, and the
// URL its QR code opens. customerName may be empty: the shops need not see
// who ordered. The 納期 printed is the lot's planned finish of its last
// step.
func TravelerOf(l *nakamawashi.Lot, customerName string, url string) *Traveler {
	t := &Traveler{
		Lot:        l.Number,
		PartName:   l.PartName,
		PartNumber: l.DrawingNumber,
		Quantity:   nakamawashi.Units(int64(l.Quantity)),
		Unit:       "個",
		Customer:   customerName,
		URL:        url,
	}
	for _, s := range l.Steps {
		process := s.Process
		if p, ok := nakamawashi.ProcessByCode(s.Process); ok {
			process = p.JA
		}
		t.Steps = append(t.Steps, TravelerStep{Process: process, Company: s.CompanyName, Due: s.Due.Time()})
		if !s.Due.IsZero() {
			t.DueDate = s.Due.Time()
		}
	}
	return t
}
