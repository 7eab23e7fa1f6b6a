package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Inquiries (引合い) with their parts, steps and drawings. Who sees what:
// the network office and coordinators every inquiry; a customer's owner
// and staff their company's inquiries, without the shops chosen for the
// steps; shops see no inquiry, only the requests addressed to them.

// officeView reports whether a coordinates the network's flow: the system,
// the network admins and the coordinators. They see partners and prices.
func officeView(a *nakamawashi.Actor) bool {
	return a != nil && (a.System || a.CanNetwork(nakamawashi.PermCoordinate))
}

// mayCoordinate returns nil if the caller coordinates the flow,
// EUNAUTHORIZED for an anonymous caller and ENOTFOUND with notFound
// otherwise: what a caller may not coordinate, it does not see either
// (a customer may read its inquiry but gets ENOTFOUND from coordinating
// it only where it cannot read it; see mayCoordinateInquiry).
func mayCoordinate(ctx context.Context) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !officeView(a) {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	return nil
}

// mayReadInquiry returns nil if the caller may read q, EUNAUTHORIZED for
// an anonymous caller and ENOTFOUND otherwise.
func mayReadInquiry(ctx context.Context, q *nakamawashi.Inquiry) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(nakamawashi.PermInquiryRead, q.CustomerID) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.inquiry.not_found")
	}
	return nil
}

const inquiryColumns = `i.id, i.number, i.customer_id, c.name, i.office_id, i.title, i.desired_date, i.delivery_place,
	i.notes, i.status, i.created_by, i.created_at, i.updated_at`

const inquiryFrom = `FROM inquiries i JOIN companies c ON c.id = i.customer_id`

func scanInquiry(sc scanner) (*nakamawashi.Inquiry, error) {
	var q nakamawashi.Inquiry
	err := sc.Scan(&q.ID, &q.Number, &q.CustomerID, &q.CustomerName, &q.OfficeID, &q.Title, dateScan{&q.DesiredDate},
		&q.DeliveryPlace, &q.Notes, &q.Status, &q.CreatedBy, timeScan{&q.CreatedAt}, timeScan{&q.UpdatedAt})
	return &q, err
}

// findInquiry reads an inquiry's own row (no parts).
func (tx *Tx) findInquiry(ctx context.Context, id int64) (*nakamawashi.Inquiry, error) {
	q, err := scanInquiry(tx.queryRow(ctx, `SELECT `+inquiryColumns+` `+inquiryFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.inquiry.not_found")
	}
	return q, err
}

// officeOf returns the office that handles an inquiry created by the
// caller: a coordinator's or admin's own company, else the network's
// office (the first company of kind office).
func (tx *Tx) officeOf(ctx context.Context) (int64, error) {
	if a := nakamawashi.ActorFromContext(ctx); a != nil && !a.System && a.CanNetwork(nakamawashi.PermCoordinate) && a.CompanyID > 0 {
		return a.CompanyID, nil
	}
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM companies WHERE kind = ? ORDER BY id LIMIT 1`, string(nakamawashi.KindOffice)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.inquiry.no_office")
	}
	return id, err
}

// CreateInquiry records a customer's inquiry with its parts.
func (s *Store) CreateInquiry(ctx context.Context, q *nakamawashi.Inquiry) error {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, q.CustomerID); err != nil {
		return err
	}
	if err := q.Validate(); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	defer tx.Rollback()
	cust, err := tx.findCompanyByID(ctx, q.CustomerID)
	if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"customer_id": nakamawashi.Msg("err.inquiry.customer")}}
	} else if err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	office, err := tx.officeOf(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	created := *q
	created.CustomerName, created.OfficeID = cust.Name, office
	created.Status = nakamawashi.InquirySubmitted
	created.CreatedAt, created.UpdatedAt = tx.now, tx.now
	created.CreatedBy = 0
	if a := nakamawashi.ActorFromContext(ctx); !a.System {
		created.CreatedBy = a.UserID
	}
	if created.Number, err = tx.nextNumber(ctx, seriesInquiry); err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	created.ID, err = tx.insert(ctx, `INSERT INTO inquiries (number, customer_id, office_id, title, desired_date, delivery_place,
		notes, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		created.Number, created.CustomerID, created.OfficeID, created.Title, dateValue(created.DesiredDate), created.DeliveryPlace,
		created.Notes, string(created.Status), created.CreatedBy, tx.t(created.CreatedAt), tx.t(created.UpdatedAt))
	if err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	created.Parts = make([]*nakamawashi.Part, len(q.Parts))
	for i, p := range q.Parts {
		pt := *p
		pt.InquiryID, pt.Steps, pt.Drawings = created.ID, nil, nil
		// A round part is kept as its bounding box.
		b := [3]float64{pt.Size.X, pt.Size.Y, pt.Size.Z}
		if pt.Size.Shape == nakamawashi.ShapeRound {
			b = [3]float64{pt.Size.D, pt.Size.D, pt.Size.L}
		}
		pt.ID, err = tx.insert(ctx, `INSERT INTO parts (inquiry_id, position, drawing_number, name, material, quantity,
			size_x, size_y, size_z, tolerance_um, roughness_ra, surface, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pt.InquiryID, i+1, pt.DrawingNumber, pt.Name, pt.Material, pt.Quantity, b[0], b[1], b[2],
			pt.ToleranceUM, pt.RoughnessRa, pt.Surface, pt.Notes)
		if err != nil {
			return nakamawashi.Internal(s.op("CreateInquiry"), err)
		}
		created.Parts[i] = &pt
	}
	tx.audit(ctx, created.CustomerID, "inquiry.create", string(nakamawashi.EntityInquiry), created.ID, map[string]any{
		"number": created.Number, "title": created.Title, "parts": len(created.Parts), "office_id": created.OfficeID})
	if err := tx.notify(ctx, created.OfficeID, "inquiry.submitted", nakamawashi.EntityInquiry, created.ID,
		"/inquiries/"+itoa(int(created.ID)), "notify.inquiry.submitted", created.Number, created.Title); err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateInquiry"), err)
	}
	*q = created
	return nil
}

// FindInquiryByID returns the inquiry with its parts, steps and drawings.
func (s *Store) FindInquiryByID(ctx context.Context, id int64) (*nakamawashi.Inquiry, error) {
	tx, err := s.beginReadAs(ctx, "FindInquiryByID")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, err := tx.findInquiry(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindInquiryByID"), err)
	}
	if err := mayReadInquiry(ctx, q); err != nil {
		return nil, err
	}
	if q.Parts, err = tx.loadParts(ctx, q.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("FindInquiryByID"), err)
	}
	redactInquiry(ctx, q)
	return q, nil
}

// redactInquiry blanks what only the office sees: the shops of the steps.
func redactInquiry(ctx context.Context, q *nakamawashi.Inquiry) {
	if officeView(nakamawashi.ActorFromContext(ctx)) {
		return
	}
	for _, p := range q.Parts {
		for _, st := range p.Steps {
			st.CompanyID, st.CompanyName, st.RequestID = 0, "", 0
		}
	}
}

const partColumns = `id, inquiry_id, drawing_number, name, material, quantity, size_x, size_y, size_z, tolerance_um,
	roughness_ra, surface, notes`

func scanPart(sc scanner) (*nakamawashi.Part, error) {
	var p nakamawashi.Part
	err := sc.Scan(&p.ID, &p.InquiryID, &p.DrawingNumber, &p.Name, &p.Material, &p.Quantity, &p.Size.X, &p.Size.Y, &p.Size.Z,
		&p.ToleranceUM, &p.RoughnessRa, &p.Surface, &p.Notes)
	if !p.Size.IsZero() {
		p.Size.Shape = nakamawashi.ShapeBox
	}
	return &p, err
}

// inquiryOfPart reads the inquiry of a part.
func (tx *Tx) inquiryOfPart(ctx context.Context, partID int64) (*nakamawashi.Inquiry, error) {
	part, err := tx.findPart(ctx, partID)
	if err != nil {
		return nil, err
	}
	return tx.findInquiry(ctx, part.InquiryID)
}

// findPart reads one part (no steps or drawings).
func (tx *Tx) findPart(ctx context.Context, id int64) (*nakamawashi.Part, error) {
	p, err := scanPart(tx.queryRow(ctx, `SELECT `+partColumns+` FROM parts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.inquiry.part_not_found")
	}
	return p, err
}

// loadParts reads the parts of an inquiry with their steps and drawings.
func (tx *Tx) loadParts(ctx context.Context, inquiryID int64) ([]*nakamawashi.Part, error) {
	rows, err := tx.query(ctx, `SELECT `+partColumns+` FROM parts WHERE inquiry_id = ? ORDER BY position`, inquiryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	parts := []*nakamawashi.Part{}
	byID := map[int64]*nakamawashi.Part{}
	for rows.Next() {
		p, err := scanPart(rows)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	steps, err := tx.loadSteps(ctx, `p.inquiry_id = ?`, inquiryID)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		if p := byID[st.PartID]; p != nil {
			p.Steps = append(p.Steps, st)
		}
	}
	drawings, err := tx.loadDrawings(ctx, `p.inquiry_id = ?`, inquiryID)
	if err != nil {
		return nil, err
	}
	for _, d := range drawings {
		if p := byID[d.PartID]; p != nil {
			p.Drawings = append(p.Drawings, d)
		}
	}
	return parts, nil
}

const stepColumns = `s.id, s.part_id, s.seq, s.process, s.requirements, s.certifications, s.setup_hours, s.cycle_minutes,
	s.company_id, COALESCE(c.name, ''), s.request_id`

const stepFrom = `FROM steps s JOIN parts p ON p.id = s.part_id LEFT JOIN companies c ON c.id = s.company_id`

func scanStep(sc scanner) (*nakamawashi.Step, error) {
	var st nakamawashi.Step
	var certs string
	err := sc.Scan(&st.ID, &st.PartID, &st.Seq, &st.Process, &st.Requirements, &certs, &st.SetupHours, &st.CycleMinutes,
		nullInt64{&st.CompanyID}, &st.CompanyName, nullInt64{&st.RequestID})
	if certs != "" {
		st.Certifications = strings.Split(certs, ",")
	}
	return &st, err
}

// loadSteps reads the steps matching cond (on s: steps, p: parts), in
// part and routing order.
func (tx *Tx) loadSteps(ctx context.Context, cond string, args ...any) ([]*nakamawashi.Step, error) {
	rows, err := tx.query(ctx, `SELECT `+stepColumns+` `+stepFrom+` WHERE `+cond+` ORDER BY p.position, s.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nakamawashi.Step
	for rows.Next() {
		st, err := scanStep(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// findStep reads one step with the inquiry id of its part.
func (tx *Tx) findStep(ctx context.Context, id int64) (*nakamawashi.Step, int64, error) {
	var inquiryID int64
	st, err := scanStep(tx.queryRow(ctx, `SELECT `+stepColumns+` `+stepFrom+` WHERE s.id = ?`, id))
	if err == nil {
		err = tx.queryRow(ctx, `SELECT p.inquiry_id FROM steps s JOIN parts p ON p.id = s.part_id WHERE s.id = ?`, id).Scan(&inquiryID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.routing.step_not_found")
	}
	return st, inquiryID, err
}

// jstStart returns the first instant of day d in Japan.
func jstStart(d nakamawashi.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, nakamawashi.JST)
}

// FindInquiries lists the inquiries the caller may see, newest first: the
// office every one, a customer its own. From and To are days of creation;
// the amounts are the total of the inquiry's current quote.
func (s *Store) FindInquiries(ctx context.Context, f nakamawashi.FlowFilter) ([]*nakamawashi.Inquiry, int, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, 0, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	q := listQuery{op: "FindInquiries", columns: inquiryColumns, from: inquiryFrom, order: "i.id DESC", offset: f.Offset, limit: f.Limit}
	// The quotes whose total counts: the office's newest draft or sent
	// version; for a customer, only what was sent to it.
	quoteStatuses := []any{string(nakamawashi.QuoteDraft), string(nakamawashi.QuoteSent), string(nakamawashi.QuoteAccepted),
		string(nakamawashi.QuoteRejected), string(nakamawashi.QuoteExpired)}
	if !officeView(a) {
		own, _, err := nakamawashi.Scope(ctx, nakamawashi.PermInquiryRead)
		if err != nil {
			return nil, 0, err
		}
		q.c.add("i.customer_id = ?", own)
		quoteStatuses = quoteStatuses[1:]
	}
	if f.CompanyID != 0 {
		q.c.add("i.customer_id = ?", f.CompanyID)
	}
	if name := strings.TrimSpace(f.Counterparty); name != "" {
		q.c.add(`LOWER(c.name) LIKE ? ESCAPE '\'`, likePattern(name))
	}
	if !f.From.IsZero() {
		q.c.add("i.created_at >= ?", s.dialect.TimeValue(jstStart(f.From).UTC()))
	}
	if !f.To.IsZero() {
		q.c.add("i.created_at < ?", s.dialect.TimeValue(jstStart(f.To.AddDays(1)).UTC()))
	}
	if f.Status != "" {
		q.c.add("i.status = ?", f.Status)
	}
	if f.MinAmount != nil || f.MaxAmount != nil {
		cond := `EXISTS (SELECT 1 FROM quotes qt WHERE qt.inquiry_id = i.id AND qt.status IN (` + placeholders(len(quoteStatuses)) + `)`
		args := append([]any(nil), quoteStatuses...)
		if f.MinAmount != nil {
			cond += " AND qt.total >= ?"
			args = append(args, *f.MinAmount)
		}
		if f.MaxAmount != nil {
			cond += " AND qt.total <= ?"
			args = append(args, *f.MaxAmount)
		}
		q.c.add(cond+")", args...)
	}
	return findPage(ctx, s, q, scanInquiry)
}

// CancelInquiry withdraws an inquiry without an order, by its customer or
// the office; its open requests are withdrawn and the shops told.
func (s *Store) CancelInquiry(ctx context.Context, id int64, reason string) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 1000 {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"reason": nakamawashi.Msg("err.inquiry.reason")}}
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	defer tx.Rollback()
	q, err := tx.findInquiry(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	if err := mayReadInquiry(ctx, q); err != nil {
		return err
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, q.CustomerID); err != nil {
		return err
	}
	if q.Status == nakamawashi.InquiryOrdered {
		return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.inquiry.has_order")
	}
	if err := tx.moveInquiry(ctx, q, "cancel", map[string]any{"reason": reason}); err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	if err := tx.closeRequests(ctx, q, "withdraw"); err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	// Whoever did not cancel it is told.
	to := q.OfficeID
	if officeView(a) {
		to = q.CustomerID
	}
	if err := tx.notify(ctx, to, "inquiry.cancelled", nakamawashi.EntityInquiry, q.ID, "/inquiries/"+itoa(int(q.ID)),
		"notify.inquiry.cancelled", q.Number); err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CancelInquiry"), err)
	}
	return nil
}
