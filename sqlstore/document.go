package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// Issued business documents (取引関係書類): the records search of the
// 電子帳簿保存法 and corrections as new versions. The office and the
// coordinators see every document; a company's owner those it issued or
// received.

const documentColumns = `d.id, d.kind, d.number, d.version, d.superseded, d.entity_type, d.entity_id, d.issuer_id,
	d.counterparty_id, d.counterparty_name, d.date, d.subtotal, d.tax, d.total, d.reason, d.issued_by, d.issued_by_name, d.issued_at`

func scanDocument(sc scanner, extra ...any) (*nakamawashi.IssuedDocument, error) {
	var d nakamawashi.IssuedDocument
	err := sc.Scan(append([]any{&d.ID, &d.Kind, &d.Number, &d.Version, &d.Superseded, &d.EntityType, &d.EntityID, &d.IssuerID,
		&d.CounterpartyID, &d.CounterpartyName, dateScan{&d.Date}, &d.Subtotal, &d.Tax, &d.Total, &d.Reason, &d.IssuedBy,
		&d.IssuedByName, timeScan{&d.IssuedAt}}, extra...)...)
	return &d, err
}

// findDocument reads a document with its data.
func (tx *Tx) findDocument(ctx context.Context, id int64) (*nakamawashi.IssuedDocument, error) {
	data := &nakamawashi.DocumentData{}
	d, err := scanDocument(tx.queryRow(ctx, `SELECT `+documentColumns+`, d.data FROM documents d WHERE d.id = ?`, id), jsonScan{data})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.document.not_found")
	} else if err != nil {
		return nil, err
	}
	d.Data = data
	return d, nil
}

// mayReadDocument returns nil if the caller may read d, else ENOTFOUND.
func mayReadDocument(ctx context.Context, d *nakamawashi.IssuedDocument) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if a.CanNetwork(nakamawashi.PermRecordsRead) || a.Can(nakamawashi.PermRecordsRead, d.IssuerID) ||
		a.Can(nakamawashi.PermRecordsRead, d.CounterpartyID) {
		return nil
	}
	return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.document.not_found")
}

// FindDocuments is the records search: kind, date range, amount range
// (total, tax included), counterparty by id or part of its name, and
// number, combined; the current versions unless AllVersions.
func (s *Store) FindDocuments(ctx context.Context, f nakamawashi.DocumentFilter) ([]*nakamawashi.IssuedDocument, int, error) {
	own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermRecordsRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, 0, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"kind": nakamawashi.Msg("err.document.kind")}}
	}
	q := listQuery{op: "FindDocuments", columns: documentColumns, from: "FROM documents d", order: "d.date DESC, d.id DESC",
		offset: f.Offset, limit: f.Limit}
	if !all {
		q.c.add("(d.issuer_id = ? OR d.counterparty_id = ?)", own, own)
	}
	if f.Kind != "" {
		q.c.add("d.kind = ?", string(f.Kind))
	}
	if !f.From.IsZero() {
		q.c.add("d.date >= ?", dateValue(f.From))
	}
	if !f.To.IsZero() {
		q.c.add("d.date <= ?", dateValue(f.To))
	}
	if f.MinAmount != nil {
		q.c.add("d.total >= ?", *f.MinAmount)
	}
	if f.MaxAmount != nil {
		q.c.add("d.total <= ?", *f.MaxAmount)
	}
	if f.CounterpartyID != 0 {
		q.c.add("d.counterparty_id = ?", f.CounterpartyID)
	}
	if name := strings.TrimSpace(f.Counterparty); name != "" {
		q.c.add(`LOWER(d.counterparty_name) LIKE ? ESCAPE '\'`, likePattern(nakamawashi.NormalizeWidth(name)))
	}
	if n := strings.TrimSpace(f.Number); n != "" {
		q.c.add(`LOWER(d.number) LIKE ? ESCAPE '\'`, likePattern(nakamawashi.NormalizeWidth(n)))
	}
	if !f.AllVersions {
		q.c.add("d.superseded = ?", false)
	}
	return findPage(ctx, s, q, func(sc scanner) (*nakamawashi.IssuedDocument, error) { return scanDocument(sc) })
}

// FindDocumentByID returns a document with the data it was issued from.
func (s *Store) FindDocumentByID(ctx context.Context, id int64) (*nakamawashi.IssuedDocument, error) {
	tx, err := s.beginReadAs(ctx, "FindDocumentByID")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err := tx.findDocument(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindDocumentByID"), err)
	}
	if err := mayReadDocument(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// CorrectDocument issues a corrected version of the current version of a
// document, with the reason: the same number, kind, parties and date, the
// next version; the old version stays as issued and is marked superseded.
func (s *Store) CorrectDocument(ctx context.Context, id int64, data *nakamawashi.DocumentData, reason string) (*nakamawashi.IssuedDocument, error) {
	if err := mayCoordinate(ctx); err != nil {
		return nil, err
	}
	p := nakamawashi.Problems{}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		p.Add("reason", "err.document.reason")
	}
	if data == nil || len(data.Items) == 0 {
		p.Add("items", "err.document.items")
	} else {
		for i, it := range data.Items {
			if !it.Rate.Valid() {
				p.Add("items."+itoa(i)+".rate", "err.tax.rate")
			}
			if it.UnitPrice < -nakamawashi.MaxAmount || it.UnitPrice > nakamawashi.MaxAmount {
				p.Add("items."+itoa(i)+".unit_price", "err.range", int64(-nakamawashi.MaxAmount), int64(nakamawashi.MaxAmount))
			}
		}
		if !data.Rounding.Valid() {
			data.Rounding = nakamawashi.RoundFloor
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CorrectDocument"), err)
	}
	defer tx.Rollback()
	old, err := tx.findDocument(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CorrectDocument"), err)
	}
	if old.Superseded {
		return nil, nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.document.superseded")
	}
	if data.Recipient.CompanyID != 0 && data.Recipient.CompanyID != old.CounterpartyID {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
			Fields: map[string]nakamawashi.Message{"recipient": nakamawashi.Msg("err.document.recipient")}}
	}
	d := &nakamawashi.IssuedDocument{Kind: old.Kind, Number: old.Number, EntityType: old.EntityType, EntityID: old.EntityID,
		IssuerID: old.IssuerID, CounterpartyID: old.CounterpartyID, CounterpartyName: old.CounterpartyName, Date: old.Date,
		Data: data, Reason: reason}
	if data.Recipient.Name != "" {
		d.CounterpartyName = data.Recipient.Name
	}
	if err := tx.issueDocument(ctx, d); err != nil {
		if e := (*nakamawashi.Error)(nil); errors.As(err, &e) {
			return nil, err
		}
		return nil, nakamawashi.Internal(s.op("CorrectDocument"), err)
	}
	tx.audit(ctx, d.CounterpartyID, "document.correct", "document", d.ID, map[string]any{"number": d.Number, "version": d.Version,
		"supersedes": old.ID, "reason": reason, "total": [2]int64{old.Total, d.Total}})
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("CorrectDocument"), err)
	}
	return d, nil
}
