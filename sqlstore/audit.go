package sqlstore

import (
	"context"

	"github.com/nakamawashi/nakamawashi"
)

const auditColumns = `id, at, actor_user_id, actor_name, company_id, action, entity_type, entity_id, detail, prev_hash, hash`

func scanAuditEvent(sc scanner) (*nakamawashi.AuditEvent, error) {
	var e nakamawashi.AuditEvent
	err := sc.Scan(&e.ID, timeScan{&e.At}, &e.ActorUserID, &e.ActorName, &e.CompanyID, &e.Action, &e.EntityType, &e.EntityID,
		&e.Detail, &e.PrevHash, &e.Hash)
	return &e, err
}

// FindAuditEvents lists audit events, newest first, of the companies the
// caller may audit. Asking for another company's events is EFORBIDDEN.
func (s *Store) FindAuditEvents(ctx context.Context, filter nakamawashi.AuditFilter) ([]*nakamawashi.AuditEvent, int, error) {
	own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermAuditRead)
	if err != nil {
		return nil, 0, err
	}
	q := listQuery{op: "FindAuditEvents", columns: auditColumns, from: "FROM audit_events", order: "id DESC",
		offset: filter.Offset, limit: filter.Limit}
	if filter.CompanyID != nil {
		if !all && *filter.CompanyID != own {
			return nil, 0, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
		}
		q.c.add("company_id = ?", *filter.CompanyID)
	} else if !all {
		q.c.add("company_id = ?", own)
	}
	if filter.EntityType != "" {
		q.c.add("entity_type = ?", filter.EntityType)
	}
	if filter.EntityID != nil {
		q.c.add("entity_id = ?", *filter.EntityID)
	}
	if filter.Since != nil {
		q.c.add("at >= ?", s.dialect.TimeValue(nakamawashi.TruncateTime(*filter.Since)))
	}
	if filter.Until != nil {
		q.c.add("at < ?", s.dialect.TimeValue(nakamawashi.TruncateTime(*filter.Until)))
	}
	return findPage(ctx, s, q, scanAuditEvent)
}

// VerifyAuditChain streams every event in id order through the chain
// verifier, in one read transaction so that it sees one state of the log.
// Only those who hold users.all (network admins, the system) may.
func (s *Store) VerifyAuditChain(ctx context.Context) (*nakamawashi.AuditVerification, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
		return nil, err
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("VerifyAuditChain"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("VerifyAuditChain"), err)
	}
	defer rows.Close()
	v := nakamawashi.NewChainVerifier()
	res := &nakamawashi.AuditVerification{OK: true}
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("VerifyAuditChain"), err)
		}
		if reason := v.Check(e); reason != "" {
			res.OK, res.BrokenAt, res.Reason = false, e.ID, reason
			break
		}
		res.LastHash = e.Hash
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("VerifyAuditChain"), err)
	}
	res.Events = v.Count()
	return res, nil
}
