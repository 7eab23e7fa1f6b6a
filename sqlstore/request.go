package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Step requests (見積依頼) to shops and their answers (手挙げ). A shop sees
// only the requests addressed to it; the office sees all; a customer none.
// A request past its deadline that was never answered is expired: reads
// show it so at once, and writes (AnswerRequest, OpenDrawing,
// ExpireRequests) record it.

const requestColumns = `r.id, r.step_id, r.inquiry_id, r.company_id, c.name, r.status, r.deadline, r.message, r.sent_by,
	r.sent_at, r.price_yen, r.lead_days, r.earliest_start, r.answer_note, r.declined, r.decline_reason, r.answered_by,
	r.answered_at, s.process, p.name, p.drawing_number, p.quantity, p.material, s.requirements, s.seq`

const requestFrom = `FROM requests r JOIN companies c ON c.id = r.company_id JOIN steps s ON s.id = r.step_id
	JOIN parts p ON p.id = s.part_id`

func scanRequest(sc scanner) (*nakamawashi.Request, error) {
	var r nakamawashi.Request
	var price, lead, answeredBy sql.NullInt64
	var a nakamawashi.Answer
	var answeredAt *time.Time
	err := sc.Scan(&r.ID, &r.StepID, &r.InquiryID, &r.CompanyID, &r.CompanyName, &r.Status, timeScan{&r.Deadline}, &r.Message,
		&r.SentBy, timeScan{&r.SentAt}, &price, &lead, dateScan{&a.EarliestStart}, &a.Note, &a.Declined, &a.DeclineReason,
		&answeredBy, nullTimeScan{&answeredAt}, &r.Process, &r.PartName, &r.DrawingNumber, &r.Quantity, &r.Material,
		&r.Requirements, &r.Seq)
	if err != nil {
		return nil, err
	}
	if answeredAt != nil {
		a.PriceYen, a.LeadDays, a.AnsweredBy, a.AnsweredAt = price.Int64, int(lead.Int64), answeredBy.Int64, *answeredAt
		r.Answer = &a
	}
	return &r, nil
}

// lapse shows a request past its deadline without an answer as expired.
func lapse(r *nakamawashi.Request, now time.Time) {
	if r.Status == nakamawashi.RequestSent && !now.Before(r.Deadline) {
		r.Status = nakamawashi.RequestExpired
	}
}

func (tx *Tx) findRequest(ctx context.Context, id int64) (*nakamawashi.Request, error) {
	r, err := scanRequest(tx.queryRow(ctx, `SELECT `+requestColumns+` `+requestFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.request.not_found")
	}
	return r, err
}

// mayReadRequest returns nil if the caller may see r: the office, or the
// shop it is addressed to; else ENOTFOUND.
func mayReadRequest(ctx context.Context, r *nakamawashi.Request) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if officeView(a) || a.Can(nakamawashi.PermShopWork, r.CompanyID) {
		return nil
	}
	return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.request.not_found")
}

// notRouting is the refusal of a request or quote step on an inquiry that
// is not being routed.
func notRouting(q *nakamawashi.Inquiry) error {
	return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.inquiry.not_routing", nakamawashi.Msg("flow.status.inquiry."+string(q.Status)))
}

// jstMinute writes a deadline as people read it: 2026-04-04 09:30 (JST).
func jstMinute(t time.Time) string { return t.In(nakamawashi.JST).Format("2006-01-02 15:04") }

func processJA(code string) string {
	if p, ok := nakamawashi.ProcessByCode(code); ok {
		return p.JA
	}
	return code
}

// SendRequests sends a step request to each shop.
func (s *Store) SendRequests(ctx context.Context, in *nakamawashi.SendRequests) ([]*nakamawashi.Request, error) {
	if err := mayCoordinate(ctx); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendRequests"), err)
	}
	defer tx.Rollback()
	if err := in.Validate(tx.now); err != nil {
		return nil, err
	}
	st, inquiryID, err := tx.findStep(ctx, in.StepID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendRequests"), err)
	}
	q, err := tx.findInquiry(ctx, inquiryID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendRequests"), err)
	}
	if q.Status != nakamawashi.InquiryRouting {
		return nil, notRouting(q)
	}
	part, err := tx.findPart(ctx, st.PartID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendRequests"), err)
	}
	var sentBy int64
	if a := nakamawashi.ActorFromContext(ctx); !a.System {
		sentBy = a.UserID
	}
	ids := make([]int64, 0, len(in.CompanyIDs))
	for _, cid := range in.CompanyIDs {
		c, err := tx.findCompanyByID(ctx, cid)
		if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND || (err == nil && !c.Kind.Supplier()) {
			return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
				Fields: map[string]nakamawashi.Message{"company_ids": nakamawashi.Msg("err.request.not_supplier")}}
		} else if err != nil {
			return nil, nakamawashi.Internal(s.op("SendRequests"), err)
		}
		id, err := tx.insert(ctx, `INSERT INTO requests (step_id, inquiry_id, company_id, status, deadline, message, sent_by, sent_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (step_id, company_id) DO NOTHING`,
			st.ID, q.ID, cid, string(nakamawashi.RequestSent), tx.t(in.Deadline), in.Message, sentBy, tx.t(tx.now))
		if isNoRows(err) {
			return nil, &nakamawashi.Error{Code: nakamawashi.ECONFLICT, Message: nakamawashi.Msg("err.request.exists"),
				Fields: map[string]nakamawashi.Message{"company_ids": nakamawashi.Msg("err.request.exists")}}
		} else if err != nil {
			return nil, nakamawashi.Internal(s.op("SendRequests"), err)
		}
		tx.audit(ctx, cid, "request.send", string(nakamawashi.EntityRequest), id, map[string]any{
			"inquiry_id": q.ID, "step_id": st.ID, "deadline": in.Deadline})
		if err := tx.notify(ctx, cid, "request.sent", nakamawashi.EntityRequest, id, "/requests/"+itoa(int(id)),
			"notify.request.sent", part.Name, processJA(st.Process), jstMinute(in.Deadline)); err != nil {
			return nil, nakamawashi.Internal(s.op("SendRequests"), err)
		}
		ids = append(ids, id)
	}
	out := make([]*nakamawashi.Request, len(ids))
	for i, id := range ids {
		if out[i], err = tx.findRequest(ctx, id); err != nil {
			return nil, nakamawashi.Internal(s.op("SendRequests"), err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("SendRequests"), err)
	}
	return out, nil
}

// FindRequests lists the requests the caller may see, newest first.
func (s *Store) FindRequests(ctx context.Context, f nakamawashi.RequestFilter) ([]*nakamawashi.Request, int, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, 0, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	q := listQuery{op: "FindRequests", columns: requestColumns, from: requestFrom, order: "r.id DESC", offset: f.Offset, limit: f.Limit}
	if !officeView(a) {
		if !a.Can(nakamawashi.PermShopWork, a.CompanyID) {
			return nil, 0, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
		}
		q.c.add("r.company_id = ?", a.CompanyID)
	}
	if f.CompanyID != 0 {
		q.c.add("r.company_id = ?", f.CompanyID)
	}
	if f.InquiryID != 0 {
		q.c.add("r.inquiry_id = ?", f.InquiryID)
	}
	if f.StepID != 0 {
		q.c.add("r.step_id = ?", f.StepID)
	}
	now := s.now()
	if len(f.Status) > 0 {
		var ors []string
		var args []any
		for _, st := range f.Status {
			switch st {
			case nakamawashi.RequestSent:
				ors = append(ors, "(r.status = ? AND r.deadline > ?)")
				args = append(args, string(st), s.dialect.TimeValue(now))
			case nakamawashi.RequestExpired:
				ors = append(ors, "(r.status = ? OR (r.status = ? AND r.deadline <= ?))")
				args = append(args, string(st), string(nakamawashi.RequestSent), s.dialect.TimeValue(now))
			default:
				ors = append(ors, "r.status = ?")
				args = append(args, string(st))
			}
		}
		q.c.add("("+joinOr(ors)+")", args...)
	}
	out, n, err := findPage(ctx, s, q, scanRequest)
	if err != nil {
		return nil, 0, err
	}
	for _, r := range out {
		lapse(r, now)
	}
	return out, n, nil
}

func joinOr(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += " OR "
		}
		s += x
	}
	return s
}

// FindRequestByID returns a request the caller may see.
func (s *Store) FindRequestByID(ctx context.Context, id int64) (*nakamawashi.Request, error) {
	tx, err := s.beginReadAs(ctx, "FindRequestByID")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := tx.findRequest(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindRequestByID"), err)
	}
	if err := mayReadRequest(ctx, r); err != nil {
		return nil, err
	}
	lapse(r, tx.now)
	return r, nil
}

// loadShopRequest reads request id in a write transaction for the shop it
// is addressed to (or the office acting for it).
func (tx *Tx) loadShopRequest(ctx context.Context, id int64) (*nakamawashi.Request, error) {
	r, err := tx.findRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if !a.Can(nakamawashi.PermShopWork, r.CompanyID) {
		if officeView(a) {
			return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
		}
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.request.not_found")
	}
	return r, nil
}

// expireRequest records that r lapsed (sent, past its deadline).
func (tx *Tx) expireRequest(ctx context.Context, r *nakamawashi.Request) error {
	if _, err := tx.move(ctx, nakamawashi.EntityRequest, r.ID, r.CompanyID, string(r.Status), "expire", nil); err != nil {
		return err
	}
	r.Status = nakamawashi.RequestExpired
	return nil
}

// AnswerRequest records the shop's answer or refusal before the deadline.
func (s *Store) AnswerRequest(ctx context.Context, id int64, a *nakamawashi.Answer) (*nakamawashi.Request, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	defer tx.Rollback()
	r, err := tx.loadShopRequest(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	if r.Status.Open() && !tx.now.Before(r.Deadline) {
		// Too late: an unanswered request lapses now, for good.
		if r.Status == nakamawashi.RequestSent {
			if err := tx.expireRequest(ctx, r); err != nil {
				return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
			}
			if err := tx.Commit(ctx); err != nil {
				return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
			}
		}
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.request.deadline", jstMinute(r.Deadline))
	}
	action := "answer"
	if a.Declined {
		action = "decline"
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityRequest, string(r.Status), action); err != nil {
		return nil, err
	}
	if err := a.Validate(nakamawashi.DateOf(tx.now)); err != nil {
		return nil, err
	}
	actor := nakamawashi.ActorFromContext(ctx)
	ans := *a
	ans.AnsweredAt, ans.AnsweredBy = tx.now, 0
	if !actor.System {
		ans.AnsweredBy = actor.UserID
	}
	if ans.Declined {
		ans.PriceYen, ans.LeadDays, ans.EarliestStart, ans.Note = 0, 0, nakamawashi.Date{}, ""
	} else {
		ans.DeclineReason = ""
	}
	if _, err := tx.move(ctx, nakamawashi.EntityRequest, r.ID, r.CompanyID, string(r.Status), action, map[string]any{
		"price_yen": ans.PriceYen, "lead_days": ans.LeadDays, "earliest_start": ans.EarliestStart, "decline_reason": ans.DeclineReason}); err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	var price, lead any
	if !ans.Declined {
		price, lead = ans.PriceYen, ans.LeadDays
	}
	if _, err := tx.exec(ctx, `UPDATE requests SET price_yen = ?, lead_days = ?, earliest_start = ?, answer_note = ?, declined = ?,
		decline_reason = ?, answered_by = ?, answered_at = ? WHERE id = ?`, price, lead, dateValue(ans.EarliestStart), ans.Note,
		ans.Declined, ans.DeclineReason, ans.AnsweredBy, tx.t(ans.AnsweredAt), r.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	if ans.Declined {
		if err := tx.unchoose(ctx, r.ID); err != nil {
			return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
		}
	}
	q, err := tx.findInquiry(ctx, r.InquiryID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	kind, key := "request.answered", "notify.request.answered"
	if ans.Declined {
		kind, key = "request.declined", "notify.request.declined"
	}
	if err := tx.notify(ctx, q.OfficeID, kind, nakamawashi.EntityRequest, r.ID, "/requests/"+itoa(int(r.ID)),
		key, r.CompanyName, r.PartName, processJA(r.Process)); err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	out, err := tx.findRequest(ctx, r.ID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AnswerRequest"), err)
	}
	return out, nil
}

// unchoose clears a step's shop if it was chosen from request id.
func (tx *Tx) unchoose(ctx context.Context, requestID int64) error {
	_, err := tx.exec(ctx, `UPDATE steps SET company_id = NULL, request_id = NULL WHERE request_id = ?`, requestID)
	return err
}

// WithdrawRequest takes back an open request; the shop is told.
func (s *Store) WithdrawRequest(ctx context.Context, id int64) error {
	if err := mayCoordinate(ctx); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("WithdrawRequest"), err)
	}
	defer tx.Rollback()
	r, err := tx.findRequest(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("WithdrawRequest"), err)
	}
	q, err := tx.findInquiry(ctx, r.InquiryID)
	if err != nil {
		return nakamawashi.Internal(s.op("WithdrawRequest"), err)
	}
	if err := tx.withdrawRequest(ctx, r, q.OfficeID); err != nil {
		return nakamawashi.Internal(s.op("WithdrawRequest"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("WithdrawRequest"), err)
	}
	return nil
}

// withdrawRequest takes back r, a request of an inquiry of office
// officeID, and tells its shop.
func (tx *Tx) withdrawRequest(ctx context.Context, r *nakamawashi.Request, officeID int64) error {
	if _, err := tx.move(ctx, nakamawashi.EntityRequest, r.ID, auditCompany(ctx, r.CompanyID, officeID), string(r.Status), "withdraw", nil); err != nil {
		return err
	}
	if err := tx.unchoose(ctx, r.ID); err != nil {
		return err
	}
	return tx.notify(ctx, r.CompanyID, "request.withdrawn", nakamawashi.EntityRequest, r.ID, "/requests/"+itoa(int(r.ID)),
		"notify.request.withdrawn", r.PartName, processJA(r.Process))
}

// ChooseAnswer makes an answered request's shop the step's shop.
func (s *Store) ChooseAnswer(ctx context.Context, requestID int64) error {
	if err := mayCoordinate(ctx); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("ChooseAnswer"), err)
	}
	defer tx.Rollback()
	r, err := tx.findRequest(ctx, requestID)
	if err != nil {
		return nakamawashi.Internal(s.op("ChooseAnswer"), err)
	}
	if r.Status != nakamawashi.RequestAnswered {
		return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.request.not_answered")
	}
	q, err := tx.findInquiry(ctx, r.InquiryID)
	if err != nil {
		return nakamawashi.Internal(s.op("ChooseAnswer"), err)
	}
	if q.Status != nakamawashi.InquiryRouting {
		return notRouting(q)
	}
	if _, err := tx.exec(ctx, `UPDATE steps SET company_id = ?, request_id = ? WHERE id = ?`, r.CompanyID, r.ID, r.StepID); err != nil {
		return nakamawashi.Internal(s.op("ChooseAnswer"), err)
	}
	// The office's log: the detail names the shop and its price.
	tx.audit(ctx, q.OfficeID, "step.choose", "step", r.StepID, map[string]any{
		"request_id": r.ID, "company_id": r.CompanyID, "price_yen": r.Answer.PriceYen})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("ChooseAnswer"), err)
	}
	return nil
}

// ExpireRequests closes every unanswered request past its deadline.
func (s *Store) ExpireRequests(ctx context.Context) (int, error) {
	if err := mayCoordinate(ctx); err != nil {
		return 0, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id, company_id FROM requests WHERE status = ? AND deadline <= ? ORDER BY id`,
		string(nakamawashi.RequestSent), tx.t(tx.now))
	if err != nil {
		return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
	}
	var due []*nakamawashi.Request
	for rows.Next() {
		r := &nakamawashi.Request{Status: nakamawashi.RequestSent}
		if err := rows.Scan(&r.ID, &r.CompanyID); err != nil {
			rows.Close()
			return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
		}
		due = append(due, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
	}
	for _, r := range due {
		if err := tx.expireRequest(ctx, r); err != nil {
			return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, nakamawashi.Internal(s.op("ExpireRequests"), err)
	}
	return len(due), nil
}
