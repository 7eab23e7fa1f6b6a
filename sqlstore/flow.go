package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// What the order flow's store methods share: document numbers, the one
// way an entity changes status, issued documents, notifications, fail
// points for crash tests, and the scanning of dates and JSON columns.

// flowTables names the table of each entity with a state machine.
var flowTables = map[nakamawashi.Entity]string{
	nakamawashi.EntityInquiry:   "inquiries",
	nakamawashi.EntityRequest:   "requests",
	nakamawashi.EntityQuote:     "quotes",
	nakamawashi.EntityOrder:     "orders",
	nakamawashi.EntityWorkOrder: "work_orders",
	nakamawashi.EntityLot:       "lots",
	nakamawashi.EntityDelivery:  "deliveries",
	nakamawashi.EntityInvoice:   "invoices",
}

// Number series: the prefix of each kind of record's number.
const (
	seriesInquiry   = "R" // 引合番号
	seriesQuote     = "Q" // 見積番号
	seriesOrder     = "O" // 受注番号
	seriesWorkOrder = "W" // 注文番号
	seriesLot       = "L" // ロット番号
	seriesDelivery  = "D" // 納品書番号
	seriesInvoice   = "I" // 請求書番号
)

// nextNumber returns the next number of a series in the current year (in
// Japan): R2026-00001, R2026-00002, … Numbers are taken inside the write
// transaction, so a rolled-back transaction leaves no gap that was used.
func (tx *Tx) nextNumber(ctx context.Context, series string) (string, error) {
	year := nakamawashi.DateOf(tx.now).Time().Year()
	name := series + strconv.Itoa(year)
	var n int64
	err := tx.queryRow(ctx, `INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("next number %s: %w", name, err)
	}
	return fmt.Sprintf("%s-%05d", name, n), nil
}

// move changes the status of entity e, row id, from its current status by
// action, through the state machine: an illegal move is ECONFLICT with the
// reason; a row that changed under us (another transaction moved it
// first) is ECONFLICT too. It records the audit event "<entity>.<action>"
// for companyID with detail (may be nil) plus from and to.
func (tx *Tx) move(ctx context.Context, e nakamawashi.Entity, id, companyID int64, from, action string, detail map[string]any) (string, error) {
	to, err := nakamawashi.Transition(e, from, action)
	if err != nil {
		return "", err
	}
	res, err := tx.exec(ctx, `UPDATE `+flowTables[e]+` SET status = ? WHERE id = ? AND status = ?`, to, id, from)
	if err != nil {
		return "", fmt.Errorf("move %s %d: %w", e, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", err
	} else if n != 1 {
		return "", nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flow.changed")
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["from"], detail["to"] = from, to
	tx.audit(ctx, companyID, string(e)+"."+action, string(e), id, detail)
	return to, nil
}

// notify records a notification for the people of companyID: key and
// args are a catalog message rendered in each reader's language.
func (tx *Tx) notify(ctx context.Context, companyID int64, kind string, e nakamawashi.Entity, id int64, link, key string, args ...any) error {
	if companyID <= 0 {
		return nil
	}
	a, err := json.Marshal(args)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO notifications (company_id, kind, entity_type, entity_id, message_key, message_args, link, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, companyID, kind, string(e), id, key, string(a), link, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// issueDocument stores a document as issued: it computes the totals from
// the items (tax once per rate, in the data's rounding), takes the next
// version of its number, and records who issued it. A version after the
// first supersedes the one before.
func (tx *Tx) issueDocument(ctx context.Context, d *nakamawashi.IssuedDocument) error {
	if d.Data == nil {
		return errors.New("issue document: no data")
	}
	sum, err := nakamawashi.TaxSummary(d.Data.Lines(), d.Data.Rounding)
	if err != nil {
		return err
	}
	d.Subtotal, d.Tax, d.Total = sum.Subtotal, sum.Tax, sum.Total
	data, err := json.Marshal(d.Data)
	if err != nil {
		return err
	}
	var prev int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM documents WHERE kind = ? AND number = ?`,
		string(d.Kind), d.Number).Scan(&prev); err != nil {
		return fmt.Errorf("issue document: %w", err)
	}
	if prev > 0 {
		if _, err := tx.exec(ctx, `UPDATE documents SET superseded = ? WHERE kind = ? AND number = ? AND version = ?`,
			true, string(d.Kind), d.Number, prev); err != nil {
			return fmt.Errorf("supersede document: %w", err)
		}
	}
	d.Version, d.Superseded = prev+1, false
	d.IssuedAt = tx.now
	if a := nakamawashi.ActorFromContext(ctx); a != nil && !a.System {
		d.IssuedBy, d.IssuedByName = a.UserID, a.UserName
	}
	d.ID, err = tx.insert(ctx, `INSERT INTO documents (kind, number, version, superseded, entity_type, entity_id, issuer_id,
		counterparty_id, counterparty_name, date, subtotal, tax, total, data, reason, issued_by, issued_by_name, issued_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(d.Kind), d.Number, d.Version, false, string(d.EntityType), d.EntityID, d.IssuerID,
		d.CounterpartyID, d.CounterpartyName, dateValue(d.Date), d.Subtotal, d.Tax, d.Total, string(data),
		d.Reason, d.IssuedBy, d.IssuedByName, tx.t(d.IssuedAt))
	if err != nil {
		return fmt.Errorf("issue document: %w", err)
	}
	tx.audit(ctx, d.IssuerID, "document.issue", "document", d.ID, map[string]any{
		"kind": d.Kind, "number": d.Number, "version": d.Version, "total": d.Total, "reason": d.Reason})
	return nil
}

// FailPoint, when set (tests only), is called at named points inside the
// order flow's transactions; an error it returns aborts the transaction
// there, as a crash would, so tests can show that nothing half-done stays.
type FailPoint func(name string) error

// fail calls the store's fail point, if any.
func (tx *Tx) fail(name string) error {
	if f := tx.store.FailPoint; f != nil {
		return f(name)
	}
	return nil
}

// flowSettings returns the store's flow settings with their defaults.
func (s *Store) flowSettings() nakamawashi.FlowSettings {
	f := s.Flow
	if !f.Rounding.Valid() {
		f.Rounding = nakamawashi.RoundFloor
	}
	if f.PaymentMethod == "" {
		f.PaymentMethod = nakamawashi.DefaultPaymentMethod
	}
	if f.InspectionDays <= 0 {
		f.InspectionDays = 3
	}
	if f.ShopTerms == (nakamawashi.PaymentTerms{}) {
		f.ShopTerms = nakamawashi.DefaultPaymentTerms
	}
	return f
}

// dateValue is the stored value of a date: 2006-01-02, or NULL for none.
func dateValue(d nakamawashi.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// dateScan scans a stored date (DATE or text) into a Date; NULL is the zero Date.
type dateScan struct{ d *nakamawashi.Date }

// Scan implements sql.Scanner.
func (ds dateScan) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*ds.d = nakamawashi.Date{}
	case time.Time:
		*ds.d = nakamawashi.MakeDate(v.Year(), v.Month(), v.Day())
	case string:
		return ds.parse(v)
	case []byte:
		return ds.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a date", v)
	}
	return nil
}

func (ds dateScan) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	d, err := nakamawashi.ParseDate(s)
	if err != nil {
		return fmt.Errorf("cannot parse date %q", s)
	}
	*ds.d = d
	return nil
}

// jsonScan scans a JSON text column into v; an empty column leaves v as it is.
type jsonScan struct{ v any }

// Scan implements sql.Scanner.
func (js jsonScan) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("cannot scan %T as JSON", v)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, js.v)
}

// jsonText returns v as JSON text for a column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// nullInt64 scans a nullable integer into an int64 that stays 0 for NULL.
type nullInt64 struct{ p *int64 }

// Scan implements sql.Scanner.
func (n nullInt64) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.p = x.Int64
	return nil
}

// beginReadAs opens a read transaction for a logged-in caller; op names
// the service method in errors.
func (s *Store) beginReadAs(ctx context.Context, op string) (*Tx, error) {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op(op), err)
	}
	return tx, nil
}
