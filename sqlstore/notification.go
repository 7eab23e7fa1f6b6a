package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/nakamawashi/nakamawashi"
)

// Notifications: what waits on a company, for its people in the app and,
// where mail is configured, by e-mail (a job of the system's).

const notificationColumns = `id, company_id, kind, entity_type, entity_id, message_key, message_args, link, created_at,
	read_at IS NOT NULL, emailed_at IS NOT NULL`

func scanNotification(sc scanner) (*nakamawashi.Notification, error) {
	var n nakamawashi.Notification
	var args string
	if err := sc.Scan(&n.ID, &n.CompanyID, &n.Kind, &n.EntityType, &n.EntityID, &n.Message.Key, &args, &n.Link,
		timeScan{&n.CreatedAt}, &n.Read, &n.Emailed); err != nil {
		return nil, err
	}
	n.Message.Args = messageArgs(args)
	return &n, nil
}

// messageArgs decodes stored message arguments, whole numbers as int64 so
// that %d verbs render them.
func messageArgs(s string) []any {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var raw []any
	if err := dec.Decode(&raw); err != nil {
		return nil
	}
	for i, v := range raw {
		if n, ok := v.(json.Number); ok {
			if x, err := n.Int64(); err == nil {
				raw[i] = x
			} else if f, err := n.Float64(); err == nil {
				raw[i] = f
			}
		}
	}
	return raw
}

// FindNotifications returns the actor's company's notifications, newest
// first, rendered in the actor's language.
func (s *Store) FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*nakamawashi.Notification, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if a.CompanyID == 0 {
		return []*nakamawashi.Notification{}, nil
	}
	q := `SELECT ` + notificationColumns + ` FROM notifications WHERE company_id = ?`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	limit, _ = page(0, limit)
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindNotifications"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, q+` ORDER BY id DESC LIMIT ?`, a.CompanyID, limit)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindNotifications"), err)
	}
	defer rows.Close()
	out := []*nakamawashi.Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, nakamawashi.Internal(s.op("FindNotifications"), err)
		}
		n.Text = n.Message.In(a.Language)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("FindNotifications"), err)
	}
	return out, nil
}

// MarkNotificationsRead marks notifications of the actor's company read;
// ids of other companies are ignored.
func (s *Store) MarkNotificationsRead(ctx context.Context, ids []int64) error {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	} else if len(ids) == 0 || a.CompanyID == 0 {
		return nil
	}
	return s.markNotifications(ctx, "MarkNotificationsRead", "read_at", ids, a.CompanyID)
}

// markNotifications sets column (read_at or emailed_at) on the given
// notifications not marked yet, of companyID (0: any).
func (s *Store) markNotifications(ctx context.Context, op, column string, ids []int64, companyID int64) error {
	if len(ids) > 1000 {
		ids = ids[:1000]
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op(op), err)
	}
	defer tx.Rollback()
	args := []any{tx.t(tx.now)}
	for _, id := range ids {
		args = append(args, id)
	}
	q := `UPDATE notifications SET ` + column + ` = ? WHERE id IN (` + placeholders(len(ids)) + `) AND ` + column + ` IS NULL`
	if companyID != 0 {
		q += ` AND company_id = ?`
		args = append(args, companyID)
	}
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return nakamawashi.Internal(s.op(op), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op(op), err)
	}
	return nil
}

// PendingEmails returns notifications not yet e-mailed, oldest first, each
// once per language of the company's active people with their addresses.
// A notification of a company without people comes with no addresses, so
// that the mailer marks it and moves on. The system only.
func (s *Store) PendingEmails(ctx context.Context, limit int) ([]*nakamawashi.PendingEmail, error) {
	if a := nakamawashi.ActorFromContext(ctx); a == nil || !a.System {
		return nil, nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	limit, _ = page(0, limit)
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE emailed_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
	}
	var ns []*nakamawashi.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			rows.Close()
			return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
		}
		ns = append(ns, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
	}
	type person struct {
		email string
		lang  nakamawashi.Language
	}
	people := map[int64][]person{}
	out := []*nakamawashi.PendingEmail{}
	for _, n := range ns {
		ps, ok := people[n.CompanyID]
		if !ok {
			r, err := tx.query(ctx, `SELECT u.email, u.language FROM memberships m JOIN users u ON u.id = m.user_id
				WHERE m.company_id = ? AND u.disabled = ? ORDER BY u.id`, n.CompanyID, false)
			if err != nil {
				return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
			}
			for r.Next() {
				var p person
				if err := r.Scan(&p.email, &p.lang); err != nil {
					r.Close()
					return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
				}
				ps = append(ps, p)
			}
			r.Close()
			if err := r.Err(); err != nil {
				return nil, nakamawashi.Internal(s.op("PendingEmails"), err)
			}
			people[n.CompanyID] = ps
		}
		if len(ps) == 0 {
			c := *n
			c.Text = c.Message.In(nakamawashi.Japanese)
			out = append(out, &nakamawashi.PendingEmail{Notification: &c, Language: nakamawashi.Japanese})
			continue
		}
		byLang := map[nakamawashi.Language]*nakamawashi.PendingEmail{}
		for _, p := range ps {
			pe := byLang[p.lang]
			if pe == nil {
				c := *n
				c.Text = c.Message.In(p.lang)
				pe = &nakamawashi.PendingEmail{Notification: &c, Language: p.lang}
				byLang[p.lang] = pe
				out = append(out, pe)
			}
			pe.To = append(pe.To, p.email)
		}
	}
	return out, nil
}

// MarkEmailed marks notifications e-mailed. The system only.
func (s *Store) MarkEmailed(ctx context.Context, ids []int64) error {
	if a := nakamawashi.ActorFromContext(ctx); a == nil || !a.System {
		return nakamawashi.Errorf(nakamawashi.EFORBIDDEN, "err.forbidden")
	}
	if len(ids) == 0 {
		return nil
	}
	return s.markNotifications(ctx, "MarkEmailed", "emailed_at", ids, 0)
}
