package sqlstore

import (
	"context"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// The machine a shop runs a step on, and the orders at risk: a work order
// in progress whose machine's open state interval is an alarm is at risk,
// and so are its order and the lot at its step. Nothing is stored: the
// flags are computed from the work orders and the state intervals when
// the records are read, so they are always current and the ingest writes
// nothing more.
//
// Who sees what: the office sees which machine of which shop; a shop the
// machines of its own steps; a customer only that its order is at risk.

// orderAtRisk is the condition of an order (o) at risk, for FindOrders.
const orderAtRisk = `EXISTS (SELECT 1 FROM work_orders rw JOIN state_intervals rsi ON rsi.machine_id = rw.machine_id
	WHERE rw.order_id = o.id AND rw.status = 'in_progress' AND rsi.end_at IS NULL AND rsi.state = 'alarm')`

// riskChunk is how many ids one query of this file names.
const riskChunk = 500

// nullID is id as a nullable column value: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// startOnMachine records the machine the shop chose when starting w's
// step (0: none): on the work order, as the machine running it now. The
// machine must be one of the shop's; any other is not found, so that a
// shop learns nothing of another company's machines.
func (tx *Tx) startOnMachine(ctx context.Context, w *nakamawashi.WorkOrder, machineID int64) error {
	if machineID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM machines WHERE id = ? AND company_id = ?`,
			machineID, w.CompanyID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p := nakamawashi.Problems{}
			p.Add("machine_id", "err.risk.machine_not_found", w.CompanyName)
			return p.Err()
		}
	}
	_, err := tx.exec(ctx, `UPDATE work_orders SET machine_id = ? WHERE id = ?`, nullID(machineID), w.ID)
	w.MachineID = machineID
	return err
}

// workOrderRisks fills in the machine of each work order and whether it
// is at risk now.
func (tx *Tx) workOrderRisks(ctx context.Context, wos []*nakamawashi.WorkOrder) error {
	byID := make(map[int64]*nakamawashi.WorkOrder, len(wos))
	ids := make([]int64, 0, len(wos))
	for _, w := range wos {
		if w != nil {
			byID[w.ID] = w
			ids = append(ids, w.ID)
		}
	}
	for lo := 0; lo < len(ids); lo += riskChunk {
		chunk := ids[lo:min(lo+riskChunk, len(ids))]
		rows, err := tx.query(ctx, `SELECT w.id, m.id, m.process, m.maker, m.model,
			(SELECT MAX(si.start_at) FROM state_intervals si WHERE si.machine_id = w.machine_id AND si.end_at IS NULL AND si.state = 'alarm')
			FROM work_orders w JOIN machines m ON m.id = w.machine_id
			WHERE w.id IN (`+placeholders(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, machineID int64
			var process, maker, model string
			var since *time.Time
			if err := rows.Scan(&id, &machineID, &process, &maker, &model, nullTimeScan{&since}); err != nil {
				rows.Close()
				return err
			}
			w := byID[id]
			w.MachineID, w.MachineName = machineID, nakamawashi.MachineLabel(machineID, process, maker, model)
			if since != nil && w.Status == nakamawashi.WorkOrderInProgress {
				w.AtRisk, w.RiskReason, w.RiskSince = true, nakamawashi.RiskMachineAlarm, since
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// workOrderRisks reads the risks of work orders listed outside a
// transaction.
func (s *Store) workOrderRisks(ctx context.Context, op string, wos []*nakamawashi.WorkOrder) error {
	if len(wos) == 0 {
		return nil
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op(op), err)
	}
	defer tx.Rollback()
	return nakamawashi.Internal(s.op(op), tx.workOrderRisks(ctx, wos))
}

// stepOf returns the work order of a lot's step seq among wos.
func stepOf(wos []*nakamawashi.WorkOrder, l *nakamawashi.Lot, seq int) *nakamawashi.WorkOrder {
	for _, w := range wos {
		if w.OrderID == l.OrderID && w.PartID == l.PartID && w.Seq == seq {
			return w
		}
	}
	return nil
}

// lotRisk marks a lot and its steps from the work orders of its order
// (their risks read), as a caller of companyID sees them (v): the
// machines for the office, a shop's own for the shop, none for the
// customer.
func lotRisk(l *nakamawashi.Lot, wos []*nakamawashi.WorkOrder, v view, companyID int64) {
	mayName := func(shop int64) bool { return v == viewOffice || v == viewShop && shop == companyID }
	for _, st := range l.Steps {
		w := stepOf(wos, l, st.Seq)
		if w == nil {
			continue
		}
		st.AtRisk = w.AtRisk
		if mayName(w.CompanyID) {
			st.MachineID, st.MachineName = w.MachineID, w.MachineName
		}
	}
	if w := stepOf(wos, l, l.Seq); w != nil {
		l.AtRisk, l.RiskReason = w.AtRisk, w.RiskReason
		if mayName(w.CompanyID) {
			l.MachineID, l.MachineName = w.MachineID, w.MachineName
		}
	}
}

// eventMachines names the machines the lots' steps were started on, in
// their events, for the office and for a shop its own.
func (tx *Tx) eventMachines(ctx context.Context, lots []*nakamawashi.Lot, v view, companyID int64) error {
	if v != viewOffice && v != viewShop {
		return nil
	}
	events := map[int64]*nakamawashi.LotEvent{}
	ids := []int64{}
	for _, l := range lots {
		ids = append(ids, l.ID)
		for _, e := range l.Events {
			events[e.ID] = e
		}
	}
	for lo := 0; lo < len(ids); lo += riskChunk {
		chunk := ids[lo:min(lo+riskChunk, len(ids))]
		rows, err := tx.query(ctx, `SELECT e.id, m.id, m.process, m.maker, m.model
			FROM lot_events e JOIN machines m ON m.id = e.machine_id WHERE e.lot_id IN (`+placeholders(len(chunk))+`)`,
			int64Args(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, machineID int64
			var process, maker, model string
			if err := rows.Scan(&id, &machineID, &process, &maker, &model); err != nil {
				rows.Close()
				return err
			}
			if e := events[id]; e != nil && (v == viewOffice || e.CompanyID == companyID) {
				e.MachineID, e.MachineName = machineID, nakamawashi.MachineLabel(machineID, process, maker, model)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// orderRisk marks an order read with its lots and work orders (wos: all
// of them, whatever the caller sees of them): the work orders' machines
// and risks, the lots', and the order's; the office gets the reasons.
func (tx *Tx) orderRisk(ctx context.Context, o *nakamawashi.Order, wos []*nakamawashi.WorkOrder, v view) error {
	if err := tx.workOrderRisks(ctx, wos); err != nil {
		return err
	}
	a := nakamawashi.ActorFromContext(ctx)
	var companyID int64
	if a != nil {
		companyID = a.CompanyID
	}
	for _, l := range o.Lots {
		lotRisk(l, wos, v, companyID)
	}
	if err := tx.eventMachines(ctx, o.Lots, v, companyID); err != nil {
		return err
	}
	o.AtRisk, o.RiskReason, o.Risks = false, "", nil
	for _, w := range wos {
		if !w.AtRisk {
			continue
		}
		o.AtRisk, o.RiskReason = true, w.RiskReason
		if v == viewOffice {
			o.Risks = append(o.Risks, riskOf(w))
		}
	}
	return nil
}

// riskOf is the office's account of a work order at risk.
func riskOf(w *nakamawashi.WorkOrder) *nakamawashi.Risk {
	r := &nakamawashi.Risk{Reason: w.RiskReason, WorkOrderID: w.ID, Number: w.Number, Seq: w.Seq, Process: w.Process,
		CompanyID: w.CompanyID, CompanyName: w.CompanyName, MachineID: w.MachineID, MachineName: w.MachineName}
	if w.RiskSince != nil {
		r.Since = *w.RiskSince
	}
	return r
}

// lotContextRisk marks a lot read by its traveler code.
func (tx *Tx) lotContextRisk(ctx context.Context, lc *lotContext) error {
	if err := tx.workOrderRisks(ctx, lc.steps); err != nil {
		return err
	}
	var companyID int64
	if a := nakamawashi.ActorFromContext(ctx); a != nil {
		companyID = a.CompanyID
	}
	lotRisk(lc.lot, lc.steps, lc.view, companyID)
	return tx.eventMachines(ctx, []*nakamawashi.Lot{lc.lot}, lc.view, companyID)
}

// ordersRisk marks the orders of a list: whether each is at risk and,
// for the office, why.
func (s *Store) ordersRisk(ctx context.Context, list []*nakamawashi.Order) error {
	if len(list) == 0 {
		return nil
	}
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	office := a.CanNetwork(nakamawashi.PermCoordinate)
	byID := make(map[int64]*nakamawashi.Order, len(list))
	ids := make([]int64, 0, len(list))
	for _, o := range list {
		byID[o.ID] = o
		ids = append(ids, o.ID)
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("FindOrders"), err)
	}
	defer tx.Rollback()
	for lo := 0; lo < len(ids); lo += riskChunk {
		chunk := ids[lo:min(lo+riskChunk, len(ids))]
		rows, err := tx.query(ctx, `SELECT w.order_id, w.id, w.number, w.seq, w.process, w.company_id, c.name,
			m.id, m.process, m.maker, m.model, si.start_at
			FROM work_orders w JOIN companies c ON c.id = w.company_id JOIN machines m ON m.id = w.machine_id
			JOIN state_intervals si ON si.machine_id = w.machine_id AND si.end_at IS NULL AND si.state = 'alarm'
			WHERE w.status = 'in_progress' AND w.order_id IN (`+placeholders(len(chunk))+`)
			ORDER BY w.order_id, w.part_id, w.seq`, int64Args(chunk)...)
		if err != nil {
			return nakamawashi.Internal(s.op("FindOrders"), err)
		}
		for rows.Next() {
			var orderID int64
			var process, maker, model string
			r := &nakamawashi.Risk{Reason: nakamawashi.RiskMachineAlarm}
			if err := rows.Scan(&orderID, &r.WorkOrderID, &r.Number, &r.Seq, &r.Process, &r.CompanyID, &r.CompanyName,
				&r.MachineID, &process, &maker, &model, timeScan{&r.Since}); err != nil {
				rows.Close()
				return nakamawashi.Internal(s.op("FindOrders"), err)
			}
			r.MachineName = nakamawashi.MachineLabel(r.MachineID, process, maker, model)
			if o := byID[orderID]; o != nil {
				o.AtRisk, o.RiskReason = true, r.Reason
				if office {
					o.Risks = append(o.Risks, r)
				}
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nakamawashi.Internal(s.op("FindOrders"), err)
		}
	}
	return nil
}
