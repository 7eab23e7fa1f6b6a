package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// touchInterval is how stale a session's last_seen_at or a token's
// last_used_at may get before a request writes it again: a write per minute
// at most, not one per request.
const touchInterval = time.Minute

// Keys of the login_failures table: one per account, one per address.
func accountKey(email string) string { return "account:" + email }
func addressKey(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return "address:" + addr
}

func loginFailed() error { return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.login_failed") }
func sessionExpired() error {
	return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.session.expired")
}

// loginUser is what a login needs to know about the account it names.
type loginUser struct {
	actor    nakamawashi.Actor
	hash     string
	disabled bool
	found    bool // the account exists
	member   bool // it has a membership; actor's company fields are set
}

// Login checks the credentials under the rate limits and starts a session.
//
// It runs in two short transactions with the password check between them,
// so that the slow hash holds no write lock: the first counts the recent
// failures and reserves this attempt as one (so parallel guesses cannot
// slip past the limit), the second turns the reservation into a session or
// leaves it standing as a failure. Unknown users, wrong passwords,
// disabled users and users without a membership get one answer.
func (s *Store) Login(ctx context.Context, cred nakamawashi.Credentials) (*nakamawashi.Session, *nakamawashi.Actor, error) {
	email := strings.ToLower(nakamawashi.NormalizeWidth(cred.Email))
	keys := []string{accountKey(email)}
	if cred.RemoteAddr != "" {
		keys = append(keys, addressKey(cred.RemoteAddr))
	}

	// 1. Limits, reservation and the account.
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	defer tx.Rollback()
	if err := tx.purgeAuth(ctx); err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	for i, key := range keys {
		limit := nakamawashi.LoginMaxPerAccount
		if i == 1 {
			limit = nakamawashi.LoginMaxPerAddress
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?`,
			key, tx.t(tx.now.Add(-nakamawashi.LoginWindow))).Scan(&n); err != nil {
			return nil, nil, nakamawashi.Internal(s.op("Login"), err)
		} else if n >= limit {
			return nil, nil, nakamawashi.Errorf(nakamawashi.ETOOMANY, "err.login_locked")
		}
	}
	var reserved []int64
	for _, key := range keys {
		id, err := tx.insert(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, tx.t(tx.now))
		if err != nil {
			return nil, nil, nakamawashi.Internal(s.op("Login"), err)
		}
		reserved = append(reserved, id)
	}
	lu, err := tx.findLoginUser(ctx, email)
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}

	// 2. The password, outside any transaction.
	var ok bool
	reason := ""
	if !lu.found {
		s.verifyDummyPassword(cred.Password)
		reason = "unknown_user"
	} else if ok = nakamawashi.VerifyPassword(lu.hash, cred.Password); !ok {
		reason = "wrong_password"
	} else if lu.disabled {
		ok, reason = false, "disabled"
	} else if !lu.member {
		ok, reason = false, "no_membership"
	}

	// 3. A session, or a failure on the record.
	tx, err = s.beginWrite(ctx)
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	defer tx.Rollback()
	if !ok {
		tx.audit(ctx, 0, "auth.login_failed", "user", lu.actor.UserID, map[string]string{"email": email, "reason": reason, "remote_addr": cred.RemoteAddr})
		if err := tx.Commit(ctx); err != nil {
			return nil, nil, nakamawashi.Internal(s.op("Login"), err)
		}
		return nil, nil, loginFailed()
	}
	// A success forgives the account's failures, not the address's.
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, keys[0]); err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	for _, id := range reserved[1:] {
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE id = ?`, id); err != nil {
			return nil, nil, nakamawashi.Internal(s.op("Login"), err)
		}
	}
	a := lu.actor
	sess := &nakamawashi.Session{
		Token:      nakamawashi.NewToken(""),
		UserID:     a.UserID,
		CompanyID:  a.CompanyID,
		Role:       a.Role,
		CSRFToken:  nakamawashi.NewToken(""),
		CreatedAt:  tx.now,
		LastSeenAt: tx.now,
		ExpiresAt:  tx.now.Add(nakamawashi.SessionIdleTimeout),
	}
	sess.ID, err = tx.insert(ctx, `INSERT INTO sessions (token_hash, user_id, company_id, role, csrf_token, created_at, last_seen_at, expires_at, remote_addr, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nakamawashi.HashToken(sess.Token), sess.UserID, sess.CompanyID, string(sess.Role), sess.CSRFToken,
		tx.t(sess.CreatedAt), tx.t(sess.LastSeenAt), tx.t(sess.ExpiresAt), cred.RemoteAddr, truncate(cred.UserAgent, 500))
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	tx.audit(nakamawashi.NewContextWithActor(ctx, &a), a.CompanyID, "auth.login", "session", sess.ID, map[string]string{"remote_addr": cred.RemoteAddr})
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Login"), err)
	}
	return sess, &a, nil
}

// findLoginUser returns the account for email with its first membership;
// found is false if there is no such account.
func (tx *Tx) findLoginUser(ctx context.Context, email string) (*loginUser, error) {
	lu := loginUser{found: true}
	err := tx.queryRow(ctx, `SELECT id, name, email, language, password_hash, disabled FROM users WHERE email = ?`, email).
		Scan(&lu.actor.UserID, &lu.actor.UserName, &lu.actor.Email, &lu.actor.Language, &lu.hash, &lu.disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return &loginUser{}, nil
	} else if err != nil {
		return nil, err
	}
	err = tx.queryRow(ctx, `SELECT m.company_id, m.role, c.name, c.kind FROM memberships m JOIN companies c ON c.id = m.company_id
		WHERE m.user_id = ? ORDER BY m.id LIMIT 1`, lu.actor.UserID).
		Scan(&lu.actor.CompanyID, &lu.actor.Role, &lu.actor.CompanyName, &lu.actor.CompanyKind)
	if errors.Is(err, sql.ErrNoRows) {
		return &lu, nil
	} else if err != nil {
		return nil, err
	}
	lu.member = true
	return &lu, nil
}

// verifyDummyPassword spends the time of verifying a password hashed with
// the store's parameters, so that an unknown email takes as long to refuse
// as a wrong password.
func (s *Store) verifyDummyPassword(pw string) {
	p := s.passwordParams()
	if p == nakamawashi.DefaultPasswordParams {
		nakamawashi.VerifyDummyPassword(pw)
		return
	}
	s.dummyOnce.Do(func() { s.dummyHash = nakamawashi.HashPassword("nakamawashi-timing-equalizer", p) })
	nakamawashi.VerifyPassword(s.dummyHash, pw)
}

// purgeAuth deletes expired sessions and failures that no longer count.
func (tx *Tx) purgeAuth(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at <= ?`, tx.t(tx.now.Add(-nakamawashi.LoginWindow))); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?`,
		tx.t(tx.now), tx.t(tx.now.Add(-nakamawashi.SessionMaxAge)))
	return err
}

const sessionSelect = `SELECT s.id, s.user_id, s.company_id, s.role, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
	u.name, u.email, u.language, u.disabled, c.name, c.kind
	FROM sessions s JOIN users u ON u.id = s.user_id JOIN companies c ON c.id = s.company_id`

// findSession returns the live session for token and its actor; a missing,
// expired or disabled one is EUNAUTHORIZED.
func (tx *Tx) findSession(ctx context.Context, token string) (*nakamawashi.Session, *nakamawashi.Actor, error) {
	if token == "" {
		return nil, nil, sessionExpired()
	}
	var sess nakamawashi.Session
	var a nakamawashi.Actor
	var disabled bool
	err := tx.queryRow(ctx, sessionSelect+` WHERE s.token_hash = ?`, nakamawashi.HashToken(token)).Scan(
		&sess.ID, &sess.UserID, &sess.CompanyID, &sess.Role, &sess.CSRFToken,
		timeScan{&sess.CreatedAt}, timeScan{&sess.LastSeenAt}, timeScan{&sess.ExpiresAt},
		&a.UserName, &a.Email, &a.Language, &disabled, &a.CompanyName, &a.CompanyKind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, sessionExpired()
	} else if err != nil {
		return nil, nil, err
	}
	if disabled || !tx.now.Before(sess.ExpiresAt) || !tx.now.Before(sess.CreatedAt.Add(nakamawashi.SessionMaxAge)) {
		return nil, nil, sessionExpired()
	}
	a.UserID, a.CompanyID, a.Role = sess.UserID, sess.CompanyID, sess.Role
	return &sess, &a, nil
}

// Authenticate returns the session and actor for a session token and
// slides the idle timeout, writing at most once a minute per session.
func (s *Store) Authenticate(ctx context.Context, token string) (*nakamawashi.Session, *nakamawashi.Actor, error) {
	var sess *nakamawashi.Session
	var a *nakamawashi.Actor
	var now time.Time
	err := s.readTx(ctx, func(tx *Tx) (err error) {
		now = tx.now
		sess, a, err = tx.findSession(ctx, token)
		return err
	})
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Authenticate"), err)
	}
	if now.Sub(sess.LastSeenAt) < touchInterval {
		return sess, a, nil
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Authenticate"), err)
	}
	defer tx.Rollback()
	sess.LastSeenAt, sess.ExpiresAt = tx.now, tx.now.Add(nakamawashi.SessionIdleTimeout)
	res, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`,
		tx.t(sess.LastSeenAt), tx.t(sess.ExpiresAt), sess.ID)
	if err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Authenticate"), err)
	} else if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil, sessionExpired() // ended meanwhile, by a logout or a password change
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, nakamawashi.Internal(s.op("Authenticate"), err)
	}
	return sess, a, nil
}

// Logout ends the session of token. Ending a session that is already gone
// is not an error.
func (s *Store) Logout(ctx context.Context, token string) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("Logout"), err)
	}
	defer tx.Rollback()
	sess, a, err := tx.findSession(ctx, token)
	if nakamawashi.ErrorCode(err) == nakamawashi.EUNAUTHORIZED {
		if token != "" {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, nakamawashi.HashToken(token)); err != nil {
				return nakamawashi.Internal(s.op("Logout"), err)
			}
		}
		return nakamawashi.Internal(s.op("Logout"), tx.Commit(ctx))
	} else if err != nil {
		return nakamawashi.Internal(s.op("Logout"), err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID); err != nil {
		return nakamawashi.Internal(s.op("Logout"), err)
	}
	tx.audit(nakamawashi.NewContextWithActor(ctx, a), a.CompanyID, "auth.logout", "session", sess.ID, nil)
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("Logout"), err)
	}
	return nil
}

// SwitchCompany makes the session act through another membership of its
// user.
func (s *Store) SwitchCompany(ctx context.Context, token string, membershipID int64) (*nakamawashi.Actor, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	defer tx.Rollback()
	sess, a, err := tx.findSession(ctx, token)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	m, err := scanMembership(tx.queryRow(ctx, membershipSelect+` WHERE m.id = ? AND m.user_id = ?`, membershipID, sess.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.membership.not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	var kind nakamawashi.CompanyKind
	if err := tx.queryRow(ctx, `SELECT kind FROM companies WHERE id = ?`, m.CompanyID).Scan(&kind); err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	if _, err := tx.exec(ctx, `UPDATE sessions SET company_id = ?, role = ?, last_seen_at = ? WHERE id = ?`,
		m.CompanyID, string(m.Role), tx.t(tx.now), sess.ID); err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	from := a.CompanyID
	a.CompanyID, a.CompanyName, a.CompanyKind, a.Role = m.CompanyID, m.CompanyName, kind, m.Role
	tx.audit(nakamawashi.NewContextWithActor(ctx, a), m.CompanyID, "auth.switch_company", "session", sess.ID, map[string]int64{"from_company_id": from})
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("SwitchCompany"), err)
	}
	return a, nil
}

// AuthenticateAPIToken returns the actor for a bearer token. Its use is
// recorded in last_used_at at most once a minute.
func (s *Store) AuthenticateAPIToken(ctx context.Context, token string) (*nakamawashi.Actor, error) {
	var a nakamawashi.Actor
	var id int64
	var expires time.Time
	var lastUsed *time.Time
	var disabled bool
	var now time.Time
	err := s.readTx(ctx, func(tx *Tx) error {
		now = tx.now
		return tx.queryRow(ctx, `SELECT t.id, t.user_id, t.company_id, t.role, t.expires_at, t.last_used_at,
			u.name, u.email, u.language, u.disabled, c.name, c.kind
			FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN companies c ON c.id = t.company_id
			WHERE t.token_hash = ?`, nakamawashi.HashToken(token)).Scan(
			&id, &a.UserID, &a.CompanyID, &a.Role, timeScan{&expires}, nullTimeScan{&lastUsed},
			&a.UserName, &a.Email, &a.Language, &disabled, &a.CompanyName, &a.CompanyKind)
	})
	if errors.Is(err, sql.ErrNoRows) || err == nil && (disabled || !now.Before(expires)) || token == "" {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.token.invalid")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateAPIToken"), err)
	}
	if lastUsed != nil && now.Sub(*lastUsed) < touchInterval {
		return &a, nil
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateAPIToken"), err)
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.t(tx.now), id); err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateAPIToken"), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("AuthenticateAPIToken"), err)
	}
	return &a, nil
}

// userActor returns the caller if it is a user acting through a membership:
// API tokens belong to one.
func userActor(ctx context.Context) (*nakamawashi.Actor, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if a.System || a.UserID == 0 || a.CompanyID == 0 {
		return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	return a, nil
}

// CreateAPIToken issues a token for the caller's current membership. The
// secret is in the returned token only; the store keeps its hash.
func (s *Store) CreateAPIToken(ctx context.Context, name string, expiresAt time.Time) (*nakamawashi.APIToken, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	name = nakamawashi.NormalizeName(name)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateAPIToken"), err)
	}
	defer tx.Rollback()
	expiresAt = nakamawashi.TruncateTime(expiresAt)
	p := nakamawashi.Problems{}
	if name == "" {
		p.Add("name", "err.required")
	} else if !plainText(name, 100) {
		p.Add("name", "err.text_max", 100)
	}
	if !expiresAt.After(tx.now) || expiresAt.After(tx.now.Add(nakamawashi.APITokenMaxAge)) {
		p.Add("expires_at", "err.token.expiry")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	t := &nakamawashi.APIToken{
		Name:      name,
		Token:     nakamawashi.NewToken(nakamawashi.APITokenPrefix),
		UserID:    a.UserID,
		CompanyID: a.CompanyID,
		Role:      a.Role,
		CreatedAt: tx.now,
		ExpiresAt: expiresAt,
	}
	t.ID, err = tx.insert(ctx, `INSERT INTO api_tokens (token_hash, name, user_id, company_id, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		nakamawashi.HashToken(t.Token), t.Name, t.UserID, t.CompanyID, string(t.Role), tx.t(t.CreatedAt), tx.t(t.ExpiresAt))
	if err != nil {
		return nil, nakamawashi.Internal(s.op("CreateAPIToken"), err)
	}
	tx.audit(ctx, a.CompanyID, "api_token.create", "api_token", t.ID,
		map[string]string{"name": t.Name, "expires_at": t.ExpiresAt.Format(nakamawashi.TimeFormat)})
	if err := tx.Commit(ctx); err != nil {
		return nil, nakamawashi.Internal(s.op("CreateAPIToken"), err)
	}
	return t, nil
}

// FindAPITokens lists the caller's tokens, without their secrets.
func (s *Store) FindAPITokens(ctx context.Context) ([]*nakamawashi.APIToken, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	out := []*nakamawashi.APIToken{}
	err = s.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, name, user_id, company_id, role, created_at, expires_at, last_used_at
			FROM api_tokens WHERE user_id = ? ORDER BY id`, a.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t nakamawashi.APIToken
			if err := rows.Scan(&t.ID, &t.Name, &t.UserID, &t.CompanyID, &t.Role,
				timeScan{&t.CreatedAt}, timeScan{&t.ExpiresAt}, nullTimeScan{&t.LastUsedAt}); err != nil {
				return err
			}
			out = append(out, &t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindAPITokens"), err)
	}
	return out, nil
}

// RevokeAPIToken deletes one of the caller's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("RevokeAPIToken"), err)
	}
	defer tx.Rollback()
	var companyID int64
	var name string
	err = tx.queryRow(ctx, `SELECT company_id, name FROM api_tokens WHERE id = ? AND user_id = ?`, id, a.UserID).Scan(&companyID, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.token.not_found")
	} else if err != nil {
		return nakamawashi.Internal(s.op("RevokeAPIToken"), err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE id = ?`, id); err != nil {
		return nakamawashi.Internal(s.op("RevokeAPIToken"), err)
	}
	tx.audit(ctx, companyID, "api_token.revoke", "api_token", id, map[string]string{"name": name})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("RevokeAPIToken"), err)
	}
	return nil
}

// plainText reports whether s is valid UTF-8 of at most max characters
// without control characters.
func plainText(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// truncate cuts s to at most n bytes at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
