package sqlstore

import (
	"context"
	"slices"

	"github.com/nakamawashi/nakamawashi"
)

// Deliveries (納品書) of an order's finished lots to the customer, and the
// customer's acceptance (検収).

const deliveryColumns = `d.id, d.number, d.order_id, d.customer_id, d.date, d.status, d.notes, d.accepted_at, d.accept_note`

func scanDelivery(sc scanner) (*nakamawashi.Delivery, error) {
	var d nakamawashi.Delivery
	err := sc.Scan(&d.ID, &d.Number, &d.OrderID, &d.CustomerID, dateScan{&d.Date}, &d.Status, &d.Notes,
		nullTimeScan{&d.AcceptedAt}, &d.AcceptNote)
	return &d, err
}

// orderQuoteLines returns the lines of an order's quote.
func (tx *Tx) orderQuoteLines(ctx context.Context, quoteID int64) ([]nakamawashi.QuoteLine, error) {
	var lines []nakamawashi.QuoteLine
	err := tx.queryRow(ctx, `SELECT lines FROM quotes WHERE id = ?`, quoteID).Scan(jsonScan{&lines})
	return lines, err
}

// findDeliveries reads deliveries matching where, with their lines.
func (tx *Tx) findDeliveries(ctx context.Context, where string, args ...any) ([]*nakamawashi.Delivery, error) {
	rows, err := tx.query(ctx, `SELECT `+deliveryColumns+` FROM deliveries d WHERE `+where+` ORDER BY d.date, d.id`, args...)
	if err != nil {
		return nil, err
	}
	out := []*nakamawashi.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range out {
		if d.Lines, err = tx.deliveryLines(ctx, d.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (tx *Tx) deliveryLines(ctx context.Context, id int64) ([]nakamawashi.DeliveryLine, error) {
	rows, err := tx.query(ctx, `SELECT dl.lot_id, l.number, dl.part_id, dl.description, dl.part_number, dl.quantity,
		dl.unit_price, dl.accepted, dl.rejected FROM delivery_lines dl JOIN lots l ON l.id = dl.lot_id
		WHERE dl.delivery_id = ? ORDER BY dl.lot_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []nakamawashi.DeliveryLine{}
	for rows.Next() {
		var l nakamawashi.DeliveryLine
		if err := rows.Scan(&l.LotID, &l.LotNumber, &l.PartID, &l.Description, &l.PartNumber, &l.Quantity,
			&l.UnitPrice, &l.Accepted, &l.Rejected); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// CreateDelivery ships completed lots of an order (all of them, when
// lotIDs is empty) to the customer: a delivery with one line per lot at
// the quote's unit price, its 納品書, the lots delivered and the order
// delivered.
func (s *Store) CreateDelivery(ctx context.Context, orderID int64, lotIDs []int64, date nakamawashi.Date, notes string) (*nakamawashi.Delivery, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermCoordinate, 0); err != nil {
		return nil, err
	}
	if err := checkNote("notes", notes, 2000); err != nil {
		return nil, err
	}
	a, _ := actorOf(ctx)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateDelivery"), err)
	}
	defer tx.Rollback()
	d, err := tx.createDelivery(ctx, a, orderID, lotIDs, date, notes)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateDelivery"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("CreateDelivery"), err)
	}
	return d, nil
}

func (tx *Tx) createDelivery(ctx context.Context, a *nakamawashi.Actor, orderID int64, lotIDs []int64, date nakamawashi.Date, notes string) (*nakamawashi.Delivery, error) {
	o, _, err := tx.findOrder(ctx, a, orderID)
	if err != nil {
		return nil, err
	}
	lots, err := tx.findLots(ctx, `l.order_id = ?`, o.ID)
	if err != nil {
		return nil, err
	}
	var ship []*nakamawashi.Lot
	if len(lotIDs) == 0 {
		for _, l := range lots {
			if l.Status == nakamawashi.LotCompleted {
				ship = append(ship, l)
			}
		}
	} else {
		ids := slices.Clone(lotIDs)
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			i := slices.IndexFunc(lots, func(l *nakamawashi.Lot) bool { return l.ID == id })
			if i < 0 {
				p := nakamawashi.Problems{}
				p.Add("lot_ids", "err.order.lot_not_in_order")
				return nil, p.Err()
			}
			ship = append(ship, lots[i])
		}
	}
	if len(ship) == 0 {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.no_lots")
	}
	for _, l := range ship {
		if l.Status != nakamawashi.LotCompleted {
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.lot_not_completed", l.Number)
		} else if l.Good <= 0 {
			return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.order.lot_no_good", l.Number)
		}
	}
	quoteLines, err := tx.orderQuoteLines(ctx, o.QuoteID)
	if err != nil {
		return nil, err
	}
	if date.IsZero() {
		date = nakamawashi.DateOf(tx.now)
	}
	d := &nakamawashi.Delivery{OrderID: o.ID, CustomerID: o.CustomerID, Date: date, Status: nakamawashi.DeliveryShipped, Notes: notes}
	if d.Number, err = tx.nextNumber(ctx, seriesDelivery); err != nil {
		return nil, err
	}
	d.ID, err = tx.insert(ctx, `INSERT INTO deliveries (number, order_id, customer_id, date, status, notes) VALUES (?, ?, ?, ?, ?, ?)`,
		d.Number, d.OrderID, d.CustomerID, dateValue(d.Date), string(d.Status), d.Notes)
	if err != nil {
		return nil, err
	}
	office, err := tx.findCompanyByID(ctx, o.OfficeID)
	if err != nil {
		return nil, err
	}
	customer, err := tx.findCompanyByID(ctx, o.CustomerID)
	if err != nil {
		return nil, err
	}
	data := &nakamawashi.DocumentData{Subject: o.Subject, Issuer: nakamawashi.PartyOf(office), Recipient: nakamawashi.PartyOf(customer),
		Rounding: tx.store.flowSettings().Rounding, OrderNumber: o.Number, DeliveryDate: d.Date, DeliveryPlace: o.DeliveryPlace, Notes: notes}
	for _, l := range ship {
		line := nakamawashi.DeliveryLine{LotID: l.ID, LotNumber: l.Number, PartID: l.PartID, Description: l.PartName,
			PartNumber: l.DrawingNumber, Quantity: l.Good}
		rate := nakamawashi.RateStandard
		unit := "個"
		for _, ql := range quoteLines {
			if ql.PartID == l.PartID {
				line.UnitPrice, line.Description, line.PartNumber, rate = ql.UnitPrice, ql.Description, ql.PartNumber, ql.Rate
				if ql.Unit != "" {
					unit = ql.Unit
				}
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO delivery_lines (delivery_id, lot_id, part_id, description, part_number, quantity, unit_price)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, line.LotID, line.PartID, line.Description, line.PartNumber, line.Quantity,
			line.UnitPrice); err != nil {
			return nil, err
		}
		if _, err := tx.move(ctx, nakamawashi.EntityLot, l.ID, o.CustomerID, string(l.Status), "deliver",
			map[string]any{"number": l.Number, "delivery": d.Number}); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `UPDATE lots SET updated_at = ? WHERE id = ?`, tx.t(tx.now), l.ID); err != nil {
			return nil, err
		}
		d.Lines = append(d.Lines, line)
		data.Items = append(data.Items, nakamawashi.DocItem{Description: line.Description, PartNumber: line.PartNumber,
			Quantity: nakamawashi.Units(int64(line.Quantity)), Unit: unit, UnitPrice: line.UnitPrice, Rate: rate,
			Reduced: rate == nakamawashi.RateReduced})
	}
	if _, err := tx.move(ctx, nakamawashi.EntityOrder, o.ID, o.CustomerID, string(o.Status), "deliver",
		map[string]any{"delivery": d.Number}); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE orders SET updated_at = ? WHERE id = ?`, tx.t(tx.now), o.ID); err != nil {
		return nil, err
	}
	tx.audit(ctx, o.CustomerID, "delivery.create", "delivery", d.ID, map[string]any{"number": d.Number, "order": o.Number, "lots": len(d.Lines)})
	if err := tx.issueDocument(ctx, &nakamawashi.IssuedDocument{Kind: nakamawashi.DocDeliveryNote, Number: d.Number,
		EntityType: nakamawashi.EntityDelivery, EntityID: d.ID, IssuerID: office.ID, CounterpartyID: customer.ID,
		CounterpartyName: customer.Name, Date: d.Date, Data: data}); err != nil {
		return nil, err
	}
	if err := tx.notify(ctx, o.CustomerID, "delivery.shipped", nakamawashi.EntityDelivery, d.ID, deliveryLink(o.ID, d.ID),
		"notify.delivery.shipped", d.Number); err != nil {
		return nil, err
	}
	return d, nil
}

// FindDeliveries lists the deliveries of an order its customer or the
// office may see.
func (s *Store) FindDeliveries(ctx context.Context, orderID int64) ([]*nakamawashi.Delivery, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDeliveries"), err)
	}
	defer tx.Rollback()
	if _, _, err := tx.findOrder(ctx, a, orderID); err != nil {
		return nil, nakamawashi.Internal(s.op("FindDeliveries"), err)
	}
	ds, err := tx.findDeliveries(ctx, `d.order_id = ?`, orderID)
	return ds, nakamawashi.Internal(s.op("FindDeliveries"), err)
}

// findDelivery reads delivery id for a caller who may see it.
func (tx *Tx) findDelivery(ctx context.Context, a *nakamawashi.Actor, id int64) (*nakamawashi.Delivery, error) {
	ds, err := tx.findDeliveries(ctx, `d.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 || orderView(a, ds[0].CustomerID) == viewNone {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.delivery_not_found")
	}
	return ds[0], nil
}

// FindDeliveryByID returns a delivery its customer or the office may see.
func (s *Store) FindDeliveryByID(ctx context.Context, id int64) (*nakamawashi.Delivery, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDeliveryByID"), err)
	}
	defer tx.Rollback()
	d, err := tx.findDelivery(ctx, a, id)
	return d, nakamawashi.Internal(s.op("FindDeliveryByID"), err)
}

// AcceptDelivery records the customer's 検収 (the customer, or a
// coordinator for it): accepted and rejected pieces for every line. The
// order is accepted once all its lots are delivered and every delivery
// accepted.
func (s *Store) AcceptDelivery(ctx context.Context, id int64, acc *nakamawashi.Acceptance) (*nakamawashi.Delivery, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if acc == nil {
		acc = &nakamawashi.Acceptance{}
	}
	if err := checkNote("note", acc.Note, 1000); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	defer tx.Rollback()
	d, err := tx.findDelivery(ctx, a, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, d.CustomerID); err != nil {
		return nil, err
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityDelivery, string(d.Status), "accept"); err != nil {
		return nil, err
	}
	if err := matchAcceptance(d, acc); err != nil {
		return nil, err
	}
	for _, l := range d.Lines {
		if _, err := tx.exec(ctx, `UPDATE delivery_lines SET accepted = ?, rejected = ? WHERE delivery_id = ? AND lot_id = ?`,
			l.Accepted, l.Rejected, d.ID, l.LotID); err != nil {
			return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
		}
	}
	to, err := tx.move(ctx, nakamawashi.EntityDelivery, d.ID, d.CustomerID, string(d.Status), "accept",
		map[string]any{"number": d.Number, "note": acc.Note})
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE deliveries SET accepted_at = ?, accept_note = ? WHERE id = ?`, tx.t(tx.now), acc.Note, d.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	now := tx.now
	d.Status, d.AcceptedAt, d.AcceptNote = nakamawashi.DeliveryStatus(to), &now, acc.Note
	var orderStatus string
	var officeID int64
	var waiting int
	if err := tx.queryRow(ctx, `SELECT status, office_id,
		(SELECT COUNT(*) FROM lots WHERE order_id = orders.id AND status <> ?) +
		(SELECT COUNT(*) FROM deliveries WHERE order_id = orders.id AND status = ?)
		FROM orders WHERE id = ?`, string(nakamawashi.LotDelivered), string(nakamawashi.DeliveryShipped), d.OrderID).Scan(
		&orderStatus, &officeID, &waiting); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	if waiting == 0 && orderStatus == string(nakamawashi.OrderDelivered) {
		if _, err := tx.move(ctx, nakamawashi.EntityOrder, d.OrderID, d.CustomerID, orderStatus, "accept", nil); err != nil {
			return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
		}
	}
	if err := tx.notify(ctx, officeID, "delivery.accepted", nakamawashi.EntityDelivery, d.ID, deliveryLink(d.OrderID, d.ID),
		"notify.delivery.accepted", d.Number); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptDelivery"), err)
	}
	return d, nil
}

// matchAcceptance checks that acc has each line of d once, with counts
// adding up to the line's quantity, and copies them into d.
func matchAcceptance(d *nakamawashi.Delivery, acc *nakamawashi.Acceptance) error {
	p := nakamawashi.Problems{}
	seen := map[int64]bool{}
	for i, al := range acc.Lines {
		field := "lines." + itoa(i)
		j := slices.IndexFunc(d.Lines, func(l nakamawashi.DeliveryLine) bool { return l.LotID == al.LotID })
		if j < 0 || seen[al.LotID] {
			p.Add(field+".lot_id", "err.order.acceptance_line")
			continue
		}
		seen[al.LotID] = true
		if al.Accepted < 0 || al.Rejected < 0 {
			p.Add(field+".accepted", "err.flow.counts")
		} else if al.Accepted+al.Rejected != d.Lines[j].Quantity {
			p.Add(field+".accepted", "err.order.acceptance_sum", d.Lines[j].Quantity)
		}
		d.Lines[j].Accepted, d.Lines[j].Rejected = al.Accepted, al.Rejected
	}
	if len(seen) != len(d.Lines) {
		p.Add("lines", "err.order.acceptance_line")
	}
	return p.Err()
}
