package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

const userColumns = `users.id, users.email, users.name, users.language, users.disabled, users.created_at, users.updated_at`

func scanUser(sc scanner) (*nakamawashi.User, error) {
	var u nakamawashi.User
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Language, &u.Disabled, timeScan{&u.CreatedAt}, timeScan{&u.UpdatedAt})
	return &u, err
}

func (tx *Tx) findUserByID(ctx context.Context, id int64) (*nakamawashi.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.user.not_found")
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

// canSeeUser reports whether the caller may see user id: itself, every
// user for those who hold users.all, and the members of companies whose
// members the caller may read.
func (tx *Tx) canSeeUser(ctx context.Context, a *nakamawashi.Actor, id int64) (bool, error) {
	if a.UserID == id && !a.System || a.CanNetwork(nakamawashi.PermUsersAll) {
		return true, nil
	}
	rows, err := tx.query(ctx, `SELECT company_id FROM memberships WHERE user_id = ?`, id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid); err != nil {
			return false, err
		}
		if a.Can(nakamawashi.PermMembersRead, cid) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// FindUserByID returns a user the caller may see; others are not found.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*nakamawashi.User, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindUserByID"), err)
	}
	defer tx.Rollback()
	if ok, err := tx.canSeeUser(ctx, a, id); err != nil {
		return nil, nakamawashi.Internal(s.op("FindUserByID"), err)
	} else if !ok {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.user.not_found")
	}
	u, err := tx.findUserByID(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindUserByID"), err)
	}
	return u, nil
}

// FindUsers lists users: those of one company (for those who may read its
// members), all of them (for those who hold users.all) or else the caller.
func (s *Store) FindUsers(ctx context.Context, filter nakamawashi.UserFilter) ([]*nakamawashi.User, int, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, 0, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	q := listQuery{op: "FindUsers", columns: userColumns, from: "FROM users", order: "users.id",
		offset: filter.Offset, limit: filter.Limit}
	switch {
	case filter.CompanyID != nil:
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermMembersRead, *filter.CompanyID); err != nil {
			return nil, 0, err
		}
		q.from = "FROM users JOIN memberships ON memberships.user_id = users.id"
		q.c.add("memberships.company_id = ?", *filter.CompanyID)
	case nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0) == nil:
	default:
		q.c.add("users.id = ?", a.UserID)
	}
	if filter.ID != nil {
		q.c.add("users.id = ?", *filter.ID)
	}
	if filter.Email != "" {
		q.c.add("users.email = ?", strings.ToLower(nakamawashi.NormalizeWidth(filter.Email)))
	}
	return findPage(ctx, s, q, scanUser)
}

// CreateUser creates a user and, if nu names a company, its first
// membership there, in one transaction.
func (s *Store) CreateUser(ctx context.Context, nu *nakamawashi.NewUser) (*nakamawashi.User, error) {
	if err := nakamawashi.Authorize(ctx, nakamawashi.PermUserCreate, nu.CompanyID); err != nil {
		return nil, err
	}
	u := nu.User
	p := nakamawashi.Problems{}
	mergeProblems(p, u.Validate())
	mergeProblems(p, nakamawashi.ValidatePassword(nu.Password))
	if nu.CompanyID != 0 && !nu.Role.Valid() {
		p.Add("role", "err.role")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	// Hash before the transaction: it is the slow part and needs no lock.
	hash := nakamawashi.HashPassword(nu.Password, s.passwordParams())

	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateUser"), err)
	}
	defer tx.Rollback()
	var company *nakamawashi.Company
	if nu.CompanyID != 0 {
		if company, err = tx.findCompanyByID(ctx, nu.CompanyID); err != nil {
			return nil, nakamawashi.Internal(s.op("CreateUser"), err)
		}
		if err := mayGrant(ctx, nu.Role, company); err != nil {
			return nil, err
		}
	}
	u.Disabled = false
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, language, disabled, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, string(u.Language), false, hash, tx.t(u.CreatedAt), tx.t(u.UpdatedAt))
	if tx.unique(err) {
		return nil, uniqueErr("email", "err.user.email_taken")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateUser"), err)
	}
	tx.audit(ctx, nu.CompanyID, "user.create", "user", u.ID, map[string]string{"email": u.Email, "name": u.Name, "language": string(u.Language)})
	if company != nil {
		m := &nakamawashi.Membership{UserID: u.ID, CompanyID: company.ID, Role: nu.Role}
		if err := tx.createMembership(ctx, m); err != nil {
			return nil, nakamawashi.Internal(s.op("CreateUser"), err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("CreateUser"), err)
	}
	return &u, nil
}

// mergeProblems copies the field problems of an EINVALID error into p.
func mergeProblems(p nakamawashi.Problems, err error) {
	var e *nakamawashi.Error
	if errors.As(err, &e) {
		for k, m := range e.Fields {
			p.Add(k, m.Key, m.Args...)
		}
	}
}

// UpdateUser changes a user. Users change their own name and language;
// holders of users.all change anyone's, and only they enable or disable.
// Disabling a user ends the user's sessions.
func (s *Store) UpdateUser(ctx context.Context, id int64, upd nakamawashi.UserUpdate) (*nakamawashi.User, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
	}
	defer tx.Rollback()
	if ok, err := tx.canSeeUser(ctx, a, id); err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
	} else if !ok {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.user.not_found")
	}
	self := a.UserID == id && !a.System
	if !self || upd.Disabled != nil {
		if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
			return nil, err
		}
	}
	old, err := tx.findUserByID(ctx, id)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
	}
	u := *old
	if upd.Name != nil {
		u.Name = *upd.Name
	}
	if upd.Language != nil {
		u.Language = *upd.Language
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	ch := changes{}
	ch.str("name", old.Name, u.Name)
	ch.str("language", string(old.Language), string(u.Language))
	if old.Disabled != u.Disabled {
		ch["disabled"] = [2]any{old.Disabled, u.Disabled}
	}
	if len(ch) == 0 {
		return old, nil
	}
	u.UpdatedAt = tx.now
	if _, err := tx.exec(ctx, `UPDATE users SET name = ?, language = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.Name, string(u.Language), u.Disabled, tx.t(u.UpdatedAt), id); err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
	}
	if u.Disabled {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
		}
	}
	tx.audit(ctx, 0, "user.update", "user", id, ch.detail())
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("UpdateUser"), err)
	}
	return &u, nil
}

// ChangePassword sets a new password. Users give their current password;
// holders of users.all (and the system) set anyone else's without it. All of
// the user's sessions end, so a stolen session dies with the old password:
// the caller logs the user in again with the new one.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	self := a.UserID == id && !a.System
	if !self {
		var visible bool
		err := s.readTx(ctx, func(tx *Tx) (err error) {
			visible, err = tx.canSeeUser(ctx, a, id)
			return err
		})
		if err != nil {
			return nakamawashi.Internal(s.op("ChangePassword"), err)
		} else if !visible {
			return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.user.not_found")
		} else if err := nakamawashi.Authorize(ctx, nakamawashi.PermUsersAll, 0); err != nil {
			return err
		}
	}
	if err := nakamawashi.ValidatePassword(next); err != nil {
		return err
	}
	if self {
		var stored string
		err := s.readTx(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&stored)
		})
		if err != nil {
			return nakamawashi.Internal(s.op("ChangePassword"), err)
		}
		if !nakamawashi.VerifyPassword(stored, current) {
			return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg("err.invalid_fields"),
				Fields: map[string]nakamawashi.Message{"current_password": nakamawashi.Msg("err.password_wrong")}}
		}
	}
	hash := nakamawashi.HashPassword(next, s.passwordParams())

	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("ChangePassword"), err)
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.t(tx.now), id)
	if err != nil {
		return nakamawashi.Internal(s.op("ChangePassword"), err)
	} else if n, _ := res.RowsAffected(); n == 0 {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.user.not_found")
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("ChangePassword"), err)
	}
	tx.audit(ctx, 0, "user.password_change", "user", id, map[string]bool{"self": self})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("ChangePassword"), err)
	}
	return nil
}

// readTx runs fn in a read transaction.
func (s *Store) readTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}
