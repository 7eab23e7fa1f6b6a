package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"slices"

	"github.com/nakamawashi/nakamawashi"
)

// Lots and their travelers (現品票): the QR code names a lot by a random
// code; each button pressed on the traveler page moves the lot through the
// state machine, at the shop of its current step only, and is kept as a
// lot event with who and when.

// lotCodeAlphabet has 32 symbols without 0/o and 1/l, so that a code read
// aloud or typed from paper survives; 16 of them are 80 random bits.
const lotCodeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

const lotCodeLen = 16

// newLotCode returns a fresh random traveler code.
func newLotCode() string {
	b := make([]byte, lotCodeLen)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = lotCodeAlphabet[b[i]%32]
	}
	return string(b)
}

// validLotCode reports whether code could be a traveler code, so that
// anything else is refused before a query.
func validLotCode(code string) bool {
	if len(code) != lotCodeLen {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '9') {
			return false
		}
	}
	return true
}

const lotColumns = `l.id, l.number, l.code, l.order_id, l.part_id, p.name, p.drawing_number, l.quantity, l.good, l.seq,
	l.status, l.company_id, COALESCE(c.name, ''), l.due, l.updated_at`

const lotFrom = `FROM lots l JOIN parts p ON p.id = l.part_id LEFT JOIN companies c ON c.id = l.company_id`

// findLots reads the lots matching where, with their Late flags.
func (tx *Tx) findLots(ctx context.Context, where string, args ...any) ([]*nakamawashi.Lot, error) {
	rows, err := tx.query(ctx, `SELECT `+lotColumns+` `+lotFrom+` WHERE `+where+` ORDER BY l.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := nakamawashi.DateOf(tx.now)
	out := []*nakamawashi.Lot{}
	for rows.Next() {
		var l nakamawashi.Lot
		if err := rows.Scan(&l.ID, &l.Number, &l.Code, &l.OrderID, &l.PartID, &l.PartName, &l.DrawingNumber, &l.Quantity,
			&l.Good, &l.Seq, &l.Status, &l.CompanyID, &l.CompanyName, dateScan{&l.Due}, timeScan{&l.UpdatedAt}); err != nil {
			return nil, err
		}
		l.Late = !l.Due.IsZero() && today.After(l.Due) && l.Status != nakamawashi.LotCompleted && l.Status != nakamawashi.LotDelivered
		out = append(out, &l)
	}
	return out, rows.Err()
}

// lotEvents reads the events of a lot, oldest first.
func (tx *Tx) lotEvents(ctx context.Context, lotID int64) ([]*nakamawashi.LotEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, lot_id, seq, kind, good, defect, note, company_id, user_id, user_name, at
		FROM lot_events WHERE lot_id = ? ORDER BY id`, lotID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*nakamawashi.LotEvent{}
	for rows.Next() {
		var e nakamawashi.LotEvent
		if err := rows.Scan(&e.ID, &e.LotID, &e.Seq, &e.Kind, &e.Good, &e.Defect, &e.Note, &e.CompanyID, &e.UserID,
			&e.UserName, timeScan{&e.At}); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// lotSteps returns the routing of a lot's part from the work orders of
// its order (any order; only those of the lot's part are taken).
func lotSteps(l *nakamawashi.Lot, wos []*nakamawashi.WorkOrder) []*nakamawashi.LotStep {
	out := []*nakamawashi.LotStep{}
	for _, w := range wos {
		if w.PartID == l.PartID && w.OrderID == l.OrderID {
			out = append(out, &nakamawashi.LotStep{Seq: w.Seq, Process: w.Process, CompanyID: w.CompanyID,
				CompanyName: w.CompanyName, WorkOrderID: w.ID, Due: w.DeliveryDate})
		}
	}
	slices.SortFunc(out, func(a, b *nakamawashi.LotStep) int { return a.Seq - b.Seq })
	return out
}

// hideShops blanks what would tell a customer which shops do the work.
func hideShops(l *nakamawashi.Lot) {
	l.CompanyID, l.CompanyName = 0, ""
	for _, st := range l.Steps {
		st.CompanyID, st.CompanyName, st.WorkOrderID = 0, "", 0
	}
	for _, e := range l.Events {
		e.CompanyID, e.UserID, e.UserName = 0, 0, ""
	}
}

// lotContext is a lot with what deciding about it needs: its order's
// customer and status, and the work orders of its part in routing order.
type lotContext struct {
	lot        *nakamawashi.Lot
	customerID int64
	officeID   int64
	orderNo    string
	orderState nakamawashi.OrderStatus
	steps      []*nakamawashi.WorkOrder
	view       view
}

// step returns the work order of step seq, or nil.
func (lc *lotContext) step(seq int) *nakamawashi.WorkOrder {
	if seq >= 1 && seq <= len(lc.steps) {
		return lc.steps[seq-1]
	}
	return nil
}

// readLot reads the lot a code names for a caller who may see it: the
// office, the order's customer, or a shop with a work order on the order.
func (tx *Tx) readLot(ctx context.Context, a *nakamawashi.Actor, code string) (*lotContext, error) {
	notFound := nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.lot_not_found")
	if !validLotCode(code) {
		return nil, notFound
	}
	lots, err := tx.findLots(ctx, `l.code = ?`, code)
	if err != nil {
		return nil, err
	} else if len(lots) == 0 {
		return nil, notFound
	}
	lc := &lotContext{lot: lots[0]}
	if err := tx.queryRow(ctx, `SELECT customer_id, office_id, number, status FROM orders WHERE id = ?`, lc.lot.OrderID).Scan(
		&lc.customerID, &lc.officeID, &lc.orderNo, &lc.orderState); err != nil {
		return nil, err
	}
	lc.steps, _, err = findPageTx(ctx, tx, listQuery{op: "readLot", columns: workOrderColumns, from: workOrderFrom,
		order: "w.seq", c: conds{exprs: []string{"w.order_id = ? AND w.part_id = ?"}, args: []any{lc.lot.OrderID, lc.lot.PartID}},
		limit: nakamawashi.MaxStepsPerPart}, scanWorkOrder)
	if err != nil {
		return nil, err
	}
	lc.lot.Steps = lotSteps(lc.lot, lc.steps)
	lc.view = orderView(a, lc.customerID)
	if lc.view == viewNone && a.Can(nakamawashi.PermShopWork, a.CompanyID) {
		for _, w := range lc.steps {
			if w.CompanyID == a.CompanyID {
				lc.view = viewShop
			}
		}
		if lc.view == viewNone {
			// A work order of another part of the same order counts too.
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM work_orders WHERE order_id = ? AND company_id = ?`,
				lc.lot.OrderID, a.CompanyID).Scan(&n); err != nil {
				return nil, err
			} else if n > 0 {
				lc.view = viewShop
			}
		}
	}
	if lc.view == viewNone {
		return nil, notFound
	}
	return lc, nil
}

// FindLotByCode returns the lot a traveler's code names, with its events:
// for the office, the shops with work on its order, and its customer (who
// sees no shops).
func (s *Store) FindLotByCode(ctx context.Context, code string) (*nakamawashi.Lot, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindLotByCode"), err)
	}
	defer tx.Rollback()
	lc, err := tx.readLot(ctx, a, code)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindLotByCode"), err)
	}
	return tx.finishLotRead(ctx, lc)
}

func (tx *Tx) finishLotRead(ctx context.Context, lc *lotContext) (*nakamawashi.Lot, error) {
	l := lc.lot
	var err error
	if l.Events, err = tx.lotEvents(ctx, l.ID); err != nil {
		return nil, nakamawashi.Internal(tx.store.op("FindLotByCode"), err)
	}
	if lc.view == viewCustomer {
		hideShops(l)
	}
	if err := tx.lotContextRisk(ctx, lc); err != nil {
		return nil, nakamawashi.Internal(tx.store.op("FindLotByCode"), err)
	}
	return l, nil
}

// ScanLot applies a button pressed on the traveler page: start, finish,
// hand-off and receipt, each only by the shop whose step the lot is at
// (after a hand-off: the next shop, which confirms receipt).
func (s *Store) ScanLot(ctx context.Context, code string, scan *nakamawashi.LotScan) (*nakamawashi.Lot, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if scan == nil {
		scan = &nakamawashi.LotScan{}
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	defer tx.Rollback()
	lc, err := tx.readLot(ctx, a, code)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	l := lc.lot
	if !scan.Action.Valid() {
		return nil, scan.Validate(l)
	}
	if lc.view == viewCustomer {
		return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	if lc.orderState == nakamawashi.OrderCancelled {
		_, err := nakamawashi.Transition(nakamawashi.EntityOrder, string(lc.orderState), "start")
		return nil, err
	}
	w := lc.step(l.Seq)
	if w != nil && !a.Can(nakamawashi.PermShopWork, w.CompanyID) {
		return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.order.lot_wrong_shop", w.CompanyName)
	}
	action := string(scan.Action)
	last := l.Seq == len(lc.steps)
	if scan.Action == nakamawashi.LotFinish && last {
		action = "finish_last"
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityLot, string(l.Status), action); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), errors.New("lot at a step without a work order"))
	}
	if err := scan.Validate(l); err != nil {
		return nil, err
	}
	if err := tx.scanLot(ctx, lc, w, scan, action); err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	rtx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	defer rtx.Rollback()
	if lc, err = rtx.readLot(ctx, a, code); err != nil {
		return nil, nakamawashi.Internal(s.op("ScanLot"), err)
	}
	return rtx.finishLotRead(ctx, lc)
}

// scanLot writes one scan: the lot's move, the lot event, and what follows
// for the work order and the order.
func (tx *Tx) scanLot(ctx context.Context, lc *lotContext, w *nakamawashi.WorkOrder, scan *nakamawashi.LotScan, action string) error {
	l := lc.lot
	seq := l.Seq
	detail := map[string]any{"number": l.Number, "seq": seq, "company_id": w.CompanyID}
	if scan.Action == nakamawashi.LotFinish {
		detail["good"], detail["defect"] = scan.Good, scan.Defect
	}
	if scan.Note != "" {
		detail["note"] = scan.Note
	}
	if _, err := tx.move(ctx, nakamawashi.EntityLot, l.ID, w.CompanyID, string(l.Status), action, detail); err != nil {
		return err
	}
	switch scan.Action {
	case nakamawashi.LotStart:
		if err := tx.startOnMachine(ctx, w, scan.MachineID); err != nil {
			return err
		}
		if w.Status == nakamawashi.WorkOrderIssued {
			// Starting the work is the shop's acceptance of the order.
			if err := tx.acceptWorkOrder(ctx, w); err != nil {
				return err
			}
		}
		if w.Status == nakamawashi.WorkOrderAccepted {
			if _, err := tx.move(ctx, nakamawashi.EntityWorkOrder, w.ID, w.CompanyID, string(w.Status), "start", nil); err != nil {
				return err
			}
		}
		if lc.orderState == nakamawashi.OrderConfirmed {
			if _, err := tx.move(ctx, nakamawashi.EntityOrder, l.OrderID, auditCompany(ctx, lc.customerID, lc.officeID), string(lc.orderState), "start", nil); err != nil {
				return err
			}
		}
	case nakamawashi.LotFinish:
		if action == "finish_last" {
			if _, err := tx.exec(ctx, `UPDATE lots SET good = ?, seq = ?, company_id = 0 WHERE id = ?`,
				scan.Good, len(lc.steps)+1, l.ID); err != nil {
				return err
			}
			if err := tx.finishWorkOrder(ctx, w); err != nil {
				return err
			}
			if err := tx.notify(ctx, lc.officeID, "lot.completed", nakamawashi.EntityLot, l.ID, lotLink(l.Code),
				"notify.lot.completed", l.Number); err != nil {
				return err
			}
		} else if _, err := tx.exec(ctx, `UPDATE lots SET good = ? WHERE id = ?`, scan.Good, l.ID); err != nil {
			return err
		}
	case nakamawashi.LotHandoff:
		next := lc.step(seq + 1)
		if _, err := tx.exec(ctx, `UPDATE lots SET seq = ?, company_id = ?, due = ? WHERE id = ?`,
			seq+1, next.CompanyID, dateValue(next.DeliveryDate), l.ID); err != nil {
			return err
		}
		if err := tx.finishWorkOrder(ctx, w); err != nil {
			return err
		}
		if err := tx.notify(ctx, next.CompanyID, "lot.handoff", nakamawashi.EntityLot, l.ID, lotLink(l.Code),
			"notify.lot.handoff", l.Number); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE lots SET updated_at = ? WHERE id = ?`, tx.t(tx.now), l.ID); err != nil {
		return err
	}
	var userID int64
	var userName string
	if a := nakamawashi.ActorFromContext(ctx); a != nil && !a.System {
		userID, userName = a.UserID, a.UserName
	}
	_, err := tx.exec(ctx, `INSERT INTO lot_events (lot_id, seq, kind, good, defect, note, company_id, user_id, user_name, at, machine_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, seq, string(scan.Action), scan.Good, scan.Defect, scan.Note,
		w.CompanyID, userID, userName, tx.t(tx.now), nullID(scan.MachineID))
	return err
}

// finishWorkOrder marks w done once every lot of its part has passed its
// step (handed off or completed).
func (tx *Tx) finishWorkOrder(ctx context.Context, w *nakamawashi.WorkOrder) error {
	var waiting int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM lots WHERE order_id = ? AND part_id = ? AND seq <= ?`,
		w.OrderID, w.PartID, w.Seq).Scan(&waiting); err != nil {
		return err
	}
	if waiting > 0 {
		return nil
	}
	var status string
	if err := tx.queryRow(ctx, `SELECT status FROM work_orders WHERE id = ?`, w.ID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.order.work_order_not_found")
	} else if err != nil {
		return err
	}
	if _, err := tx.move(ctx, nakamawashi.EntityWorkOrder, w.ID, w.CompanyID, status, "finish", nil); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE work_orders SET done_at = ? WHERE id = ?`, tx.t(tx.now), w.ID)
	return err
}
