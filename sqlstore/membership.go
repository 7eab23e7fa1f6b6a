package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

// mayGrant returns EFORBIDDEN unless the caller may give role in company,
// by the domain policy.
func mayGrant(ctx context.Context, role nakamawashi.Role, company *nakamawashi.Company) error {
	if !nakamawashi.ActorFromContext(ctx).MayGrant(role, company.ID) {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	return nil
}

const membershipSelect = `SELECT m.id, m.user_id, m.company_id, m.role, m.created_at, u.name, u.email, c.name
	FROM memberships m JOIN users u ON u.id = m.user_id JOIN companies c ON c.id = m.company_id`

func scanMembership(sc scanner) (*nakamawashi.Membership, error) {
	var m nakamawashi.Membership
	err := sc.Scan(&m.ID, &m.UserID, &m.CompanyID, &m.Role, timeScan{&m.CreatedAt}, &m.UserName, &m.UserEmail, &m.CompanyName)
	return &m, err
}

// FindMemberships lists memberships by user or company, with names joined.
// The caller sees its own memberships and those of companies whose members
// it may read; asking for a company's members without that right is
// EFORBIDDEN.
func (s *Store) FindMemberships(ctx context.Context, filter nakamawashi.MembershipFilter) ([]*nakamawashi.Membership, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	q, args := membershipSelect+` WHERE 1 = 1`, []any{}
	if filter.CompanyID != nil {
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersRead, *filter.CompanyID); err != nil {
			return nil, err
		}
		q, args = q+` AND m.company_id = ?`, append(args, *filter.CompanyID)
	}
	if filter.UserID != nil {
		q, args = q+` AND m.user_id = ?`, append(args, *filter.UserID)
	}
	if filter.CompanyID == nil && filter.UserID == nil {
		own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermMembersRead)
		if err != nil {
			return nil, err
		} else if !all {
			q, args = q+` AND m.company_id = ?`, append(args, own)
		}
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMemberships"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, q+` ORDER BY m.id`, args...)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindMemberships"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.Membership{}
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindMemberships"), err)
		}
		if (m.UserID == a.UserID && !a.System) || a.Can(nakamawashi.PermMembersRead, m.CompanyID) {
			out = append(out, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindMemberships"), err)
	}
	return out, nil
}

// CreateMembership adds a user to a company in a role.
func (s *Store) CreateMembership(ctx context.Context, m *nakamawashi.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersManage, m.CompanyID); err != nil {
		return err
	}
	// Adding a person who already exists shows the company who they are;
	// only those who see every user (the network office) may, or an owner
	// could walk the user ids and collect the whole network's people.
	// Owners bring new people in with CreateUser.
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateMembership"), err)
	}
	defer tx.Rollback()
	c, err := tx.findCompanyByID(ctx, m.CompanyID)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateMembership"), err)
	}
	if err := mayGrant(ctx, m.Role, c); err != nil {
		return err
	}
	u, err := tx.findUserByID(ctx, m.UserID)
	if err != nil {
		return nakamawashi.Internal(s.op("CreateMembership"), err)
	}
	if err := tx.createMembership(ctx, m); err != nil {
		return nakamawashi.Internal(s.op("CreateMembership"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreateMembership"), err)
	}
	m.UserName, m.UserEmail, m.CompanyName = u.Name, u.Email, c.Name
	return nil
}

func (tx *Tx) createMembership(ctx context.Context, m *nakamawashi.Membership) error {
	m.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO memberships (user_id, company_id, role, created_at) VALUES (?, ?, ?, ?)`,
		m.UserID, m.CompanyID, string(m.Role), tx.t(m.CreatedAt))
	if tx.unique(err) {
		return uniqueErr("user_id", "err.membership.exists")
	} else if err != nil {
		return err
	}
	m.ID = id
	tx.audit(ctx, m.CompanyID, "membership.create", "membership", id, map[string]any{"user_id": m.UserID, "role": string(m.Role)})
	return nil
}

// DeleteMembership removes a user from a company and ends the sessions and
// API tokens that acted through it. The last owner of a company stays.
func (s *Store) DeleteMembership(ctx context.Context, id int64) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("DeleteMembership"), err)
	}
	defer tx.Rollback()
	m, err := scanMembership(tx.queryRow(ctx, membershipSelect+` WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !a.Can(nakamawashi.PermMembersRead, m.CompanyID) && m.UserID != a.UserID {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.membership.not_found")
	} else if err != nil {
		return nakamawashi.Internal(s.op("DeleteMembership"), err)
	}
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersManage, m.CompanyID); err != nil {
		return err
	}
	if m.Role == nakamawashi.RoleOwner {
		// Locked, so that two owners removed at once cannot each count
		// the other and leave the company with none.
		if err := tx.lockCompany(ctx, m.CompanyID); err != nil {
			return nakamawashi.Internal(s.op("DeleteMembership"), err)
		}
		var owners int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE company_id = ? AND role = ?`,
			m.CompanyID, string(nakamawashi.RoleOwner)).Scan(&owners); err != nil {
			return nakamawashi.Internal(s.op("DeleteMembership"), err)
		} else if owners <= 1 {
			return nakamawashi.Errorf(nakamawashi.ECONFLICT, "err.membership.last_owner")
		}
	}
	for _, q := range []string{
		`DELETE FROM sessions WHERE user_id = ? AND company_id = ?`,
		`DELETE FROM api_tokens WHERE user_id = ? AND company_id = ?`,
	} {
		if _, err := tx.exec(ctx, q, m.UserID, m.CompanyID); err != nil {
			return nakamawashi.Internal(s.op("DeleteMembership"), err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM memberships WHERE id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("DeleteMembership"), err)
	}
	tx.audit(ctx, m.CompanyID, "membership.delete", "membership", id, map[string]any{"user_id": m.UserID, "role": string(m.Role)})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("DeleteMembership"), err)
	}
	return nil
}
