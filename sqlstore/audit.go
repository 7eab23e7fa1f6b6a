package sqlstore

import (
	"context"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

const auditColumns = `id, at, actor_user_id, actor_name, company_id, action, entity_type, entity_id, detail, prev_hash, hash`

func scanAuditEvent(sc interface{ Scan(...any) error }) (*nakamawashi.AuditEvent, error) {
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
	var where []string
	var args []any
	if filter.CompanyID != nil {
		if !all && *filter.CompanyID != own {
			return nil, 0, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
		}
		where, args = append(where, "company_id = ?"), append(args, *filter.CompanyID)
	} else if !all {
		where, args = append(where, "company_id = ?"), append(args, own)
	}
	if filter.EntityType != "" {
		where, args = append(where, "entity_type = ?"), append(args, filter.EntityType)
	}
	if filter.EntityID != nil {
		where, args = append(where, "entity_id = ?"), append(args, *filter.EntityID)
	}
	if filter.Since != nil {
		where, args = append(where, "at >= ?"), append(args, s.dialect.TimeValue(nakamawashi.TruncateTime(*filter.Since)))
	}
	if filter.Until != nil {
		where, args = append(where, "at < ?"), append(args, s.dialect.TimeValue(nakamawashi.TruncateTime(*filter.Until)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	limit, offset := page(filter.Offset, filter.Limit)

	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindAuditEvents"), err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_events`+cond, args...).Scan(&n); err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindAuditEvents"), err)
	}
	rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_events`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindAuditEvents"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.AuditEvent{}
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, 0, nakamawashi.Internal(s.op("FindAuditEvents"), err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindAuditEvents"), err)
	}
	return out, n, nil
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
