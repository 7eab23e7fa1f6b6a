package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Quotes (見積書) in versions. A draft is the office's alone; the customer
// sees sent versions and later ones, never their Costing. A new version of
// a quote that was sent takes the inquiry back to routing ("requote"); it
// supersedes the sent one when it is sent itself.

const quoteColumns = `id, inquiry_id, number, version, status, subject, valid_until, promised_date, rounding, subtotal, tax,
	total, payment_terms, notes, lines, costing, created_by, created_at, sent_at, decided_at, decision_note`

func scanQuote(sc scanner) (*nakamawashi.Quote, error) {
	var q nakamawashi.Quote
	var costing string
	err := sc.Scan(&q.ID, &q.InquiryID, &q.Number, &q.Version, &q.Status, &q.Subject, dateScan{&q.ValidUntil},
		dateScan{&q.PromisedDate}, &q.Rounding, &q.Subtotal, &q.Tax, &q.Total, &q.PaymentTerms, &q.Notes, jsonScan{&q.Lines},
		&costing, &q.CreatedBy, timeScan{&q.CreatedAt}, nullTimeScan{&q.SentAt}, nullTimeScan{&q.DecidedAt}, &q.DecisionNote)
	if err != nil {
		return nil, err
	}
	if costing != "" {
		q.Costing = &nakamawashi.Costing{}
		if err := (jsonScan{q.Costing}).Scan(costing); err != nil {
			return nil, err
		}
	}
	return &q, nil
}

// findQuoteInquiry reads a quote and its inquiry.
func (tx *Tx) findQuoteInquiry(ctx context.Context, id int64) (*nakamawashi.Quote, *nakamawashi.Inquiry, error) {
	qt, err := tx.findQuote(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	inq, err := tx.findInquiry(ctx, qt.InquiryID)
	if err != nil {
		return nil, nil, err
	}
	return qt, inq, nil
}

func (tx *Tx) findQuote(ctx context.Context, id int64) (*nakamawashi.Quote, error) {
	q, err := scanQuote(tx.queryRow(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.quote.not_found")
	}
	return q, err
}

// customerVisible reports whether a customer may see a quote in status s:
// only what was sent to it.
func customerVisible(s nakamawashi.QuoteStatus) bool { return s != nakamawashi.QuoteDraft }

// mayReadQuote returns nil if the caller may see quote qt of inquiry inq,
// blanking the Costing for anyone but the office; else ENOTFOUND.
func mayReadQuote(ctx context.Context, inq *nakamawashi.Inquiry, qt *nakamawashi.Quote) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if officeView(a) {
		return nil
	} else if a.Can(nakamawashi.PermInquiryRead, inq.CustomerID) && customerVisible(qt.Status) {
		qt.Costing = nil
		return nil
	}
	return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.quote.not_found")
}

// customerPaymentTerms returns a customer's closing and payment days, the
// defaults if none are stored.
func (tx *Tx) customerPaymentTerms(ctx context.Context, companyID int64) (nakamawashi.PaymentTerms, error) {
	var t nakamawashi.PaymentTerms
	err := tx.queryRow(ctx, `SELECT close_day, months_later, pay_day FROM billing_terms WHERE company_id = ?`, companyID).
		Scan(&t.CloseDay, &t.MonthsLater, &t.PayDay)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.DefaultPaymentTerms, nil
	}
	return t, err
}

// CreateQuote stores a draft quote, as the next version when the inquiry
// has quotes already.
func (s *Store) CreateQuote(ctx context.Context, q *nakamawashi.Quote) error {
	if err := mayCoordinate(ctx); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	defer tx.Rollback()
	created := *q
	created.Lines = append([]nakamawashi.QuoteLine(nil), q.Lines...)
	if err := created.Validate(nakamawashi.DateOf(tx.now)); err != nil {
		return err
	}
	inq, err := tx.findInquiry(ctx, created.InquiryID)
	if nakamawashi.ErrorCode(err) == nakamawashi.ENOTFOUND {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"inquiry_id": nakamawashi.Msg("err.inquiry.not_found")}}
	} else if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	parts, err := tx.loadParts(ctx, inq.ID)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	ofInquiry := map[int64]bool{}
	for _, p := range parts {
		ofInquiry[p.ID] = true
	}
	pr := nakamawashi.Problems{}
	for i, l := range created.Lines {
		if l.PartID != 0 && !ofInquiry[l.PartID] {
			pr.Add("lines."+itoa(i)+".part_id", "err.quote.part")
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	switch inq.Status {
	case nakamawashi.InquiryRouting:
	case nakamawashi.InquiryQuoted:
		if err := tx.moveInquiry(ctx, inq, "requote", nil); err != nil {
			return nakamawashi.Internal(s.op("CreateQuote"), err)
		}
	default:
		return notRouting(inq)
	}
	// The quote's number and the version after the last one; an older
	// draft gives way to this one.
	var prev int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM quotes WHERE inquiry_id = ?`, inq.ID).Scan(&prev); err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	if prev == 0 {
		if created.Number, err = tx.nextNumber(ctx, seriesQuote); err != nil {
			return nakamawashi.Internal(s.op("CreateQuote"), err)
		}
	} else if err := tx.queryRow(ctx, `SELECT number FROM quotes WHERE inquiry_id = ? AND version = ?`, inq.ID, prev).Scan(&created.Number); err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	drafts, err := tx.quoteIDs(ctx, inq.ID, nakamawashi.QuoteDraft)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	for _, id := range drafts {
		if _, err := tx.move(ctx, nakamawashi.EntityQuote, id, inq.CustomerID, string(nakamawashi.QuoteDraft), "supersede", nil); err != nil {
			return nakamawashi.Internal(s.op("CreateQuote"), err)
		}
	}
	if created.PaymentTerms == "" {
		t, err := tx.customerPaymentTerms(ctx, inq.CustomerID)
		if err != nil {
			return nakamawashi.Internal(s.op("CreateQuote"), err)
		}
		created.PaymentTerms = t.Label()
	}
	created.Version, created.Status = prev+1, nakamawashi.QuoteDraft
	created.CreatedAt, created.SentAt, created.DecidedAt, created.DecisionNote = tx.now, nil, nil, ""
	created.CreatedBy = 0
	if a := nakamawashi.ActorFromContext(ctx); !a.System {
		created.CreatedBy = a.UserID
	}
	lines, err := jsonText(created.Lines)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	costing := ""
	if created.Costing != nil {
		if costing, err = jsonText(created.Costing); err != nil {
			return nakamawashi.Internal(s.op("CreateQuote"), err)
		}
	}
	created.ID, err = tx.insert(ctx, `INSERT INTO quotes (inquiry_id, number, version, status, subject, valid_until, promised_date,
		rounding, subtotal, tax, total, payment_terms, notes, lines, costing, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		created.InquiryID, created.Number, created.Version, string(created.Status), created.Subject, dateValue(created.ValidUntil),
		dateValue(created.PromisedDate), string(created.Rounding), created.Subtotal, created.Tax, created.Total, created.PaymentTerms,
		created.Notes, lines, costing, created.CreatedBy, tx.t(created.CreatedAt))
	if tx.unique(err) {
		// Another version of this quote was made at the same moment.
		return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.flow.changed")
	} else if err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	tx.audit(ctx, inq.CustomerID, "quote.create", string(nakamawashi.EntityQuote), created.ID, map[string]any{
		"number": created.Number, "version": created.Version, "total": created.Total})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateQuote"), err)
	}
	*q = created
	return nil
}

// quoteIDs returns the ids of an inquiry's quotes in a status.
func (tx *Tx) quoteIDs(ctx context.Context, inquiryID int64, status nakamawashi.QuoteStatus) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT id FROM quotes WHERE inquiry_id = ? AND status = ? ORDER BY id`, inquiryID, string(status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// FindQuotes lists an inquiry's quote versions the caller may see, oldest first.
func (s *Store) FindQuotes(ctx context.Context, inquiryID int64) ([]*nakamawashi.Quote, error) {
	tx, err := s.beginReadAs(ctx, "FindQuotes")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inq, err := tx.findInquiry(ctx, inquiryID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindQuotes"), err)
	}
	if err := mayReadInquiry(ctx, inq); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE inquiry_id = ? ORDER BY version`, inquiryID)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindQuotes"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.Quote{}
	for rows.Next() {
		qt, err := scanQuote(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindQuotes"), err)
		}
		if mayReadQuote(ctx, inq, qt) == nil {
			out = append(out, qt)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindQuotes"), err)
	}
	return out, nil
}

// FindQuoteByID returns a quote the caller may see.
func (s *Store) FindQuoteByID(ctx context.Context, id int64) (*nakamawashi.Quote, error) {
	tx, err := s.beginReadAs(ctx, "FindQuoteByID")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	qt, inq, err := tx.findQuoteInquiry(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindQuoteByID"), err)
	}
	if err := mayReadQuote(ctx, inq, qt); err != nil {
		return nil, err
	}
	return qt, nil
}

// SendQuote sends a draft to the customer: the version sent before is
// superseded, the inquiry is quoted, the 見積書 is issued and the customer
// told, all in one transaction.
func (s *Store) SendQuote(ctx context.Context, id int64) (*nakamawashi.Quote, error) {
	if err := mayCoordinate(ctx); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	defer tx.Rollback()
	qt, inq, err := tx.findQuoteInquiry(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	if _, err := nakamawashi.Transition(nakamawashi.EntityQuote, string(qt.Status), "send"); err != nil {
		return nil, err
	}
	if today := nakamawashi.DateOf(tx.now); qt.ValidUntil.Before(today) {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.quote.valid_until", qt.ValidUntil.String())
	}
	if inq.Status != nakamawashi.InquiryRouting {
		return nil, notRouting(inq)
	}
	sent, err := tx.quoteIDs(ctx, inq.ID, nakamawashi.QuoteSent)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	for _, old := range sent {
		if _, err := tx.move(ctx, nakamawashi.EntityQuote, old, inq.CustomerID, string(nakamawashi.QuoteSent), "supersede",
			map[string]any{"by": qt.ID}); err != nil {
			return nil, nakamawashi.Internal(s.op("SendQuote"), err)
		}
	}
	if _, err := tx.move(ctx, nakamawashi.EntityQuote, qt.ID, inq.CustomerID, string(qt.Status), "send",
		map[string]any{"number": qt.Number, "version": qt.Version, "total": qt.Total}); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE quotes SET sent_at = ? WHERE id = ?`, tx.t(tx.now), qt.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	qt.Status, qt.SentAt = nakamawashi.QuoteSent, ptrTime(tx.now)
	if err := tx.moveInquiry(ctx, inq, "quote", map[string]any{"quote_id": qt.ID}); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	if _, err := tx.issueQuoteDocument(ctx, inq, qt); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	if err := tx.fail("SendQuote.issued"); err != nil {
		return nil, err
	}
	if err := tx.notify(ctx, inq.CustomerID, "quote.sent", nakamawashi.EntityQuote, qt.ID, quoteLink(inq.ID, qt.ID),
		"notify.quote.sent", qt.Number, qt.Version); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("SendQuote"), err)
	}
	return qt, nil
}

func ptrTime(t time.Time) *time.Time { return &t }

// issueQuoteDocument issues the 見積書 of a quote being sent: from the
// office to the customer, with the lines, the validity, the promised date
// and the payment terms.
func (tx *Tx) issueQuoteDocument(ctx context.Context, inq *nakamawashi.Inquiry, qt *nakamawashi.Quote) (*nakamawashi.IssuedDocument, error) {
	office, err := tx.findCompanyByID(ctx, inq.OfficeID)
	if err != nil {
		return nil, err
	}
	cust, err := tx.findCompanyByID(ctx, inq.CustomerID)
	if err != nil {
		return nil, err
	}
	data := &nakamawashi.DocumentData{
		Subject:       qt.Subject,
		Issuer:        nakamawashi.PartyOf(office),
		Recipient:     nakamawashi.PartyOf(cust),
		Rounding:      qt.Rounding,
		ValidUntil:    qt.ValidUntil,
		DeliveryDate:  qt.PromisedDate,
		DeliveryPlace: inq.DeliveryPlace,
		PaymentTerms:  qt.PaymentTerms,
		OrderNumber:   inq.Number,
		Notes:         qt.Notes,
	}
	for _, l := range qt.Lines {
		data.Items = append(data.Items, nakamawashi.DocItem{Description: l.Description, PartNumber: l.PartNumber,
			Quantity: nakamawashi.Units(int64(l.Quantity)), Unit: l.Unit, UnitPrice: l.UnitPrice, Rate: l.Rate})
	}
	d := &nakamawashi.IssuedDocument{Kind: nakamawashi.DocQuote, Number: qt.Number, EntityType: nakamawashi.EntityQuote,
		EntityID: qt.ID, IssuerID: office.ID, CounterpartyID: cust.ID, CounterpartyName: cust.Name,
		Date: nakamawashi.DateOf(tx.now), Data: data}
	if qt.Version > 1 {
		d.Reason = "第" + itoa(qt.Version) + "版"
	}
	if err := tx.issueDocument(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// RejectQuote is the customer's refusal of a sent quote: the inquiry is
// lost and the office told.
func (s *Store) RejectQuote(ctx context.Context, id int64, note string) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	if len([]rune(note)) > 1000 {
		return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"note": nakamawashi.Msg("err.quote.note")}}
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	defer tx.Rollback()
	qt, inq, err := tx.findQuoteInquiry(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	if err := mayReadQuote(ctx, inq, qt); err != nil {
		return err
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermInquirySubmit, inq.CustomerID); err != nil {
		return err
	}
	if _, err := tx.move(ctx, nakamawashi.EntityQuote, qt.ID, inq.CustomerID, string(qt.Status), "reject",
		map[string]any{"note": note}); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE quotes SET decided_at = ?, decision_note = ? WHERE id = ?`, tx.t(tx.now), note, qt.ID); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	if err := tx.moveInquiry(ctx, inq, "lose", map[string]any{"quote_id": qt.ID}); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	// The shops' open requests end with the inquiry.
	if err := tx.closeRequests(ctx, inq, "lose"); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	if err := tx.notify(ctx, inq.OfficeID, "quote.rejected", nakamawashi.EntityQuote, qt.ID, quoteLink(inq.ID, qt.ID),
		"notify.quote.rejected", inq.CustomerName, qt.Number); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("RejectQuote"), err)
	}
	return nil
}

// closeRequests moves every open request of inquiry q by action (lose or
// withdraw), ending the shops' access to the drawings.
func (tx *Tx) closeRequests(ctx context.Context, q *nakamawashi.Inquiry, action string) error {
	inquiryID := q.ID
	rows, err := tx.query(ctx, `SELECT id, company_id, status FROM requests WHERE inquiry_id = ? AND status IN (?, ?) ORDER BY id`,
		inquiryID, string(nakamawashi.RequestSent), string(nakamawashi.RequestAnswered))
	if err != nil {
		return err
	}
	var open []*nakamawashi.Request
	for rows.Next() {
		r := &nakamawashi.Request{}
		if err := rows.Scan(&r.ID, &r.CompanyID, &r.Status); err != nil {
			rows.Close()
			return err
		}
		open = append(open, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range open {
		if action == "withdraw" {
			full, err := tx.findRequest(ctx, r.ID)
			if err != nil {
				return err
			}
			if err := tx.withdrawRequest(ctx, full, q.OfficeID); err != nil {
				return err
			}
		} else if _, err := tx.move(ctx, nakamawashi.EntityRequest, r.ID, auditCompany(ctx, r.CompanyID, q.OfficeID), string(r.Status),
			action, nil); err != nil {
			return err
		}
	}
	return nil
}
