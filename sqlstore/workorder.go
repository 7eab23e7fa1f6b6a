package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// Work orders (注文書): what the office buys from each shop for one step,
// with the terms 取適法 asks for; and the payables they make once done.

const workOrderColumns = `w.id, w.number, w.order_id, w.step_id, w.part_id, w.seq, w.process, w.company_id, c.name,
	w.office_id, w.description, w.quantity, w.amount, w.order_date, w.start_date, w.delivery_date, w.delivery_place,
	w.inspection_date, w.payment_date, w.payment_method, w.supply, w.supply_terms, w.status, w.accepted_at, w.done_at`

const workOrderFrom = `FROM work_orders w JOIN companies c ON c.id = w.company_id`

func scanWorkOrder(sc scanner) (*nakamawashi.WorkOrder, error) {
	var w nakamawashi.WorkOrder
	err := sc.Scan(&w.ID, &w.Number, &w.OrderID, &w.StepID, &w.PartID, &w.Seq, &w.Process, &w.CompanyID, &w.CompanyName,
		&w.OfficeID, &w.Description, &w.Quantity, &w.Amount, dateScan{&w.OrderDate}, dateScan{&w.StartDate},
		dateScan{&w.DeliveryDate}, &w.DeliveryPlace, dateScan{&w.InspectionDate}, dateScan{&w.PaymentDate},
		&w.PaymentMethod, &w.Supply, &w.SupplyTerms, &w.Status, nullTimeScan{&w.AcceptedAt}, nullTimeScan{&w.DoneAt})
	return &w, err
}

// workContent is the 給付の内容 of a step's work order.
func workContent(p *acceptPart, st *acceptStep) string {
	s := p.name
	if p.drawingNumber != "" {
		s += "（図番 " + p.drawingNumber + "）"
	}
	s += " " + strconv.Itoa(p.quantity) + "個の" + processName(st.process)
	if st.requirements != "" {
		s += "\n" + st.requirements
	}
	return s
}

// issueWorkOrder stores a work order and issues its 注文書 from the office
// to the shop.
func (tx *Tx) issueWorkOrder(ctx context.Context, w *nakamawashi.WorkOrder, office, shop *nakamawashi.Company, subject string, p *acceptPart) error {
	var err error
	if w.Number, err = tx.nextNumber(ctx, seriesWorkOrder); err != nil {
		return err
	}
	w.ID, err = tx.insert(ctx, `INSERT INTO work_orders (number, order_id, step_id, part_id, seq, process, company_id, office_id,
		description, quantity, amount, order_date, start_date, delivery_date, delivery_place, inspection_date, payment_date,
		payment_method, supply, supply_terms, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.Number, w.OrderID, w.StepID, w.PartID, w.Seq, w.Process, w.CompanyID, w.OfficeID, w.Description, w.Quantity,
		w.Amount, dateValue(w.OrderDate), dateValue(w.StartDate), dateValue(w.DeliveryDate), w.DeliveryPlace,
		dateValue(w.InspectionDate), dateValue(w.PaymentDate), w.PaymentMethod, w.Supply, w.SupplyTerms, string(w.Status))
	if err != nil {
		return err
	}
	tx.audit(ctx, auditCompany(ctx, w.CompanyID, w.OfficeID), "work_order.create", "work_order", w.ID, map[string]any{
		"number": w.Number, "order_id": w.OrderID, "step_id": w.StepID, "amount": w.Amount,
		"delivery_date": w.DeliveryDate.String(), "payment_date": w.PaymentDate.String()})
	// One item for the whole step: the shop's price is for every piece
	// together, which a unit price need not divide.
	item := processName(w.Process) + " " + p.name
	if r := []rune(item); len(r) > 200 {
		item = string(r[:200])
	}
	data := &nakamawashi.DocumentData{Subject: subject, Issuer: nakamawashi.PartyOf(office), Recipient: nakamawashi.PartyOf(shop),
		Items: []nakamawashi.DocItem{{Description: item, PartNumber: p.drawingNumber, Quantity: nakamawashi.Units(1),
			Unit: "式", UnitPrice: w.Amount, Rate: nakamawashi.RateStandard}},
		Rounding: tx.store.flowSettings().Rounding, WorkContent: w.Description, DeliveryDate: w.DeliveryDate,
		DeliveryPlace: w.DeliveryPlace, InspectionDate: w.InspectionDate, PaymentDate: w.PaymentDate,
		PaymentMethod: w.PaymentMethod, Supply: w.Supply, SupplyTerms: w.SupplyTerms}
	return tx.issueDocument(ctx, &nakamawashi.IssuedDocument{Kind: nakamawashi.DocPurchaseOrder, Number: w.Number,
		EntityType: nakamawashi.EntityWorkOrder, EntityID: w.ID, IssuerID: office.ID, CounterpartyID: shop.ID,
		CounterpartyName: shop.Name, Date: w.OrderDate, Data: data})
}

// workOrderScope returns the condition that keeps a caller to the work
// orders it may see: every one for the office, a shop's own for its people.
func workOrderScope(ctx context.Context) (conds, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return conds{}, err
	}
	if a.CanNetwork(nakamawashi.PermCoordinate) {
		return conds{}, nil
	}
	companyID, all, err := nakamawashi.Scope(ctx, nakamawashi.PermShopWork)
	if err != nil {
		return conds{}, err
	} else if !all && !a.CompanyKind.Supplier() {
		// A customer's people hold shop.work for their own company, which
		// is no shop: work orders are not theirs to see.
		return conds{}, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	var c conds
	if !all {
		c.add("w.company_id = ?", companyID)
	}
	return c, nil
}

// FindWorkOrders lists work orders: a shop's own, or every one for the office.
func (s *Store) FindWorkOrders(ctx context.Context, f nakamawashi.WorkOrderFilter) ([]*nakamawashi.WorkOrder, int, error) {
	c, err := workOrderScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	if f.OrderID != 0 {
		c.add("w.order_id = ?", f.OrderID)
	}
	if f.CompanyID != 0 {
		c.add("w.company_id = ?", f.CompanyID)
	}
	if len(f.Status) > 0 {
		args := make([]any, len(f.Status))
		for i, st := range f.Status {
			args[i] = string(st)
		}
		c.add("w.status IN ("+placeholders(len(args))+")", args...)
	}
	wos, total, err := findPage(ctx, s, listQuery{op: "FindWorkOrders", columns: workOrderColumns, from: workOrderFrom,
		order: "w.id DESC", c: c, offset: f.Offset, limit: f.Limit}, scanWorkOrder)
	if err == nil {
		err = s.workOrderRisks(ctx, "FindWorkOrders", wos)
	}
	return wos, total, err
}

// findWorkOrder reads work order id for a caller who may see it.
func (tx *Tx) findWorkOrder(ctx context.Context, id int64) (*nakamawashi.WorkOrder, error) {
	c, err := workOrderScope(ctx)
	if err != nil {
		return nil, err
	}
	c.add("w.id = ?", id)
	w, err := scanWorkOrder(tx.queryRow(ctx, `SELECT `+workOrderColumns+` `+workOrderFrom+c.where(), c.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.work_order_not_found")
	}
	return w, err
}

// FindWorkOrderByID returns a work order its shop or the office may see.
func (s *Store) FindWorkOrderByID(ctx context.Context, id int64) (*nakamawashi.WorkOrder, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindWorkOrderByID"), err)
	}
	defer tx.Rollback()
	w, err := tx.findWorkOrder(ctx, id)
	if err == nil {
		err = tx.workOrderRisks(ctx, []*nakamawashi.WorkOrder{w})
	}
	return w, nakamawashi.Internal(s.op("FindWorkOrderByID"), err)
}

// AcceptWorkOrder is the shop's 請け of its work order.
func (s *Store) AcceptWorkOrder(ctx context.Context, id int64) (*nakamawashi.WorkOrder, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptWorkOrder"), err)
	}
	defer tx.Rollback()
	w, err := tx.findWorkOrder(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptWorkOrder"), err)
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermShopWork, w.CompanyID); err != nil {
		return nil, err
	}
	if err := tx.acceptWorkOrder(ctx, w); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptWorkOrder"), err)
	}
	if err := tx.notify(ctx, w.OfficeID, "workorder.accepted", nakamawashi.EntityWorkOrder, w.ID, workOrderLink(w.ID),
		"notify.workorder.accepted", w.Number); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptWorkOrder"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AcceptWorkOrder"), err)
	}
	return w, nil
}

// acceptWorkOrder moves w to accepted and stamps the time.
func (tx *Tx) acceptWorkOrder(ctx context.Context, w *nakamawashi.WorkOrder) error {
	to, err := tx.move(ctx, nakamawashi.EntityWorkOrder, w.ID, w.CompanyID, string(w.Status), "accept", nil)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE work_orders SET accepted_at = ? WHERE id = ?`, tx.t(tx.now), w.ID); err != nil {
		return err
	}
	now := tx.now
	w.Status, w.AcceptedAt = nakamawashi.WorkOrderStatus(to), &now
	return nil
}

// FindPayables lists what the office owes the shops for their done work
// orders, by payment date: every shop for the office, its own for a
// shop's owner.
//
// Consumption tax (10%) is computed once per shop and payment month — the
// way a shop's monthly 請求 is totalled — on the sum of that month's work
// orders, in the office's rounding; each line carries its own share (its
// amount's tax rounded down) and the month's last line the remainder, so
// that the lines of a shop and month add up to the tax of their total.
// The month is always taken whole, even when the filter cuts through it.
func (s *Store) FindPayables(ctx context.Context, f nakamawashi.PayableFilter) ([]*nakamawashi.Payable, error) {
	companyID, all, err := nakamawashi.Scope(ctx, nakamawashi.PermRecordsRead)
	if err != nil {
		return nil, err
	}
	var c conds
	c.add("w.status = ?", string(nakamawashi.WorkOrderDone))
	if !all {
		c.add("w.company_id = ?", companyID)
	}
	if f.CompanyID != 0 {
		c.add("w.company_id = ?", f.CompanyID)
	}
	if !f.From.IsZero() {
		c.add("w.payment_date >= ?", dateValue(nakamawashi.MakeDate(f.From.Time().Year(), f.From.Time().Month(), 1)))
	}
	if !f.To.IsZero() {
		c.add("w.payment_date <= ?", dateValue(f.To.EndOfMonth()))
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindPayables"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT w.company_id, c.name, w.id, w.number, w.description, w.amount, w.delivery_date, w.payment_date
		`+workOrderFrom+c.where()+` ORDER BY w.company_id, w.payment_date, w.id`, c.args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindPayables"), err)
	}
	defer rows.Close()
	var list []*nakamawashi.Payable
	for rows.Next() {
		p := &nakamawashi.Payable{}
		if err := rows.Scan(&p.CompanyID, &p.CompanyName, &p.WorkOrderID, &p.Number, &p.Description, &p.Amount,
			dateScan{&p.DeliveryDate}, dateScan{&p.PaymentDate}); err != nil {
			return nil, nakamawashi.Internal(s.op("FindPayables"), err)
		}
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindPayables"), err)
	}
	rounding := s.flowSettings().Rounding
	for i := 0; i < len(list); {
		j := i
		var base int64
		for ; j < len(list) && samePayMonth(list[i], list[j]); j++ {
			base += list[j].Amount
		}
		sum, err := nakamawashi.TaxSummary([]nakamawashi.Line{{Description: "payable", Quantity: nakamawashi.Units(1),
			UnitPrice: base, Rate: nakamawashi.RateStandard}}, rounding)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindPayables"), err)
		}
		var shared int64
		for k := i; k < j; k++ {
			if k == j-1 {
				list[k].Tax = sum.Tax - shared
			} else {
				list[k].Tax = list[k].Amount * int64(nakamawashi.RateStandard) / 100
				shared += list[k].Tax
			}
		}
		i = j
	}
	out := []*nakamawashi.Payable{}
	for _, p := range list {
		if (!f.From.IsZero() && p.PaymentDate.Before(f.From)) || (!f.To.IsZero() && p.PaymentDate.After(f.To)) {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

func samePayMonth(a, b *nakamawashi.Payable) bool {
	return a.CompanyID == b.CompanyID && a.PaymentDate.Time().Year() == b.PaymentDate.Time().Year() &&
		a.PaymentDate.Time().Month() == b.PaymentDate.Time().Month()
}
