package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nakamawashi/nakamawashi"
)

const postColumns = `id, company_id, author_id, author_name, title, body, created_at`

func scanPost(sc scanner) (*nakamawashi.Post, error) {
	p := nakamawashi.Post{Photos: []*nakamawashi.Photo{}}
	err := sc.Scan(&p.ID, &p.CompanyID, &p.AuthorID, &p.AuthorName, &p.Title, &p.Body, timeScan{&p.CreatedAt})
	return &p, err
}

const photoColumns = `id, post_id, sha256, content_type, size, width, height`

func scanPhoto(sc scanner, data ...any) (*nakamawashi.Photo, error) {
	var ph nakamawashi.Photo
	err := sc.Scan(append([]any{&ph.ID, &ph.PostID, &ph.SHA256, &ph.ContentType, &ph.Size, &ph.Width, &ph.Height}, data...)...)
	return &ph, err
}

func (tx *Tx) findPostByID(ctx context.Context, id int64) (*nakamawashi.Post, error) {
	p, err := scanPost(tx.queryRow(ctx, `SELECT `+postColumns+` FROM posts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.post.not_found")
	}
	return p, err
}

// FindPosts lists posts, newest first, with their photos' metadata (not
// their data), of one company or of every company the caller may read.
func (s *Store) FindPosts(ctx context.Context, filter nakamawashi.PostFilter) ([]*nakamawashi.Post, int, error) {
	q := listQuery{op: "FindPosts", columns: postColumns, from: "FROM posts", order: "id DESC",
		offset: filter.Offset, limit: filter.Limit}
	if filter.CompanyID != nil {
		if err := mayRead(ctx, *filter.CompanyID, "err.company.not_found"); err != nil {
			return nil, 0, err
		}
		q.c.add("company_id = ?", *filter.CompanyID)
	} else {
		own, all, err := nakamawashi.Scope(ctx, nakamawashi.PermCompanyRead)
		if err != nil {
			return nil, 0, err
		} else if !all {
			q.c.add("company_id = ?", own)
		}
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindPosts"), err)
	}
	defer tx.Rollback()
	posts, n, err := findPageTx(ctx, tx, q, scanPost)
	if err != nil || len(posts) == 0 {
		return posts, n, err
	}
	byID := make(map[int64]*nakamawashi.Post, len(posts))
	args := make([]any, len(posts))
	for i, p := range posts {
		byID[p.ID], args[i] = p, p.ID
	}
	rows, err := tx.query(ctx, `SELECT `+photoColumns+` FROM photos WHERE post_id IN (`+placeholders(len(args))+`) ORDER BY id`, args...)
	if err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindPosts"), err)
	}
	defer rows.Close()
	for rows.Next() {
		ph, err := scanPhoto(rows)
		if err != nil {
			return nil, 0, nakamawashi.Internal(s.op("FindPosts"), err)
		}
		byID[ph.PostID].Photos = append(byID[ph.PostID].Photos, ph)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nakamawashi.Internal(s.op("FindPosts"), err)
	}
	return posts, n, nil
}

// CreatePost validates p, inspecting its photos, and stores it with them
// as a post of p.CompanyID by the caller.
func (s *Store) CreatePost(ctx context.Context, p *nakamawashi.Post) error {
	if err := mayWrite(ctx, nakamawashi.PermPostWrite, p.CompanyID, "err.company.not_found"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if a := nakamawashi.ActorFromContext(ctx); !a.System {
		p.AuthorID, p.AuthorName = a.UserID, a.UserName
	} else if p.AuthorID, p.AuthorName = 0, nakamawashi.NormalizeName(p.AuthorName); p.AuthorName == "" {
		p.AuthorName = "system"
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("CreatePost"), err)
	}
	defer tx.Rollback()
	if err := tx.lockCompany(ctx, p.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("CreatePost"), err)
	}
	p.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO posts (company_id, author_id, author_name, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.CompanyID, p.AuthorID, p.AuthorName, p.Title, p.Body, tx.t(p.CreatedAt))
	if err != nil {
		return nakamawashi.Internal(s.op("CreatePost"), err)
	}
	photos := make([]map[string]any, 0, len(p.Photos))
	for _, ph := range p.Photos {
		ph.PostID = id
		if ph.ID, err = tx.insert(ctx, `INSERT INTO photos (post_id, sha256, content_type, size, width, height, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, ph.SHA256, ph.ContentType, ph.Size, ph.Width, ph.Height, ph.Data); err != nil {
			return nakamawashi.Internal(s.op("CreatePost"), err)
		}
		photos = append(photos, map[string]any{"sha256": ph.SHA256, "content_type": ph.ContentType, "size": ph.Size})
	}
	if err := tx.reindex(ctx, p.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("CreatePost"), err)
	}
	tx.audit(ctx, p.CompanyID, "post.create", "post", id, map[string]any{"title": p.Title, "photos": photos})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("CreatePost"), err)
	}
	p.ID = id
	if p.Photos == nil {
		p.Photos = []*nakamawashi.Photo{}
	}
	return nil
}

// DeletePost removes a post and its photos.
func (s *Store) DeletePost(ctx context.Context, id int64) error {
	if nakamawashi.ActorFromContext(ctx) == nil {
		return nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nakamawashi.Internal(s.op("DeletePost"), err)
	}
	defer tx.Rollback()
	p, err := tx.findPostByID(ctx, id)
	if err != nil {
		return nakamawashi.Internal(s.op("DeletePost"), err)
	}
	if err := mayWrite(ctx, nakamawashi.PermPostWrite, p.CompanyID, "err.post.not_found"); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM photos WHERE post_id = ?`, `DELETE FROM posts WHERE id = ?`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return nakamawashi.Internal(s.op("DeletePost"), err)
		}
	}
	if err := tx.reindex(ctx, p.CompanyID); err != nil {
		return nakamawashi.Internal(s.op("DeletePost"), err)
	}
	tx.audit(ctx, p.CompanyID, "post.delete", "post", id, map[string]any{"title": p.Title})
	if err := tx.Commit(ctx); err != nil {
		return nakamawashi.Internal(s.op("DeletePost"), err)
	}
	return nil
}

// FindPhoto returns a photo with its data, if the caller may read the
// company whose post it belongs to.
func (s *Store) FindPhoto(ctx context.Context, id int64) (*nakamawashi.Photo, error) {
	a := nakamawashi.ActorFromContext(ctx)
	if a == nil {
		return nil, nakamawashi.Errorf(nakamawashi.EUNAUTHORIZED, "err.unauthorized")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, nakamawashi.Internal(s.op("FindPhoto"), err)
	}
	defer tx.Rollback()
	var companyID int64
	var data []byte
	ph, err := scanPhoto(tx.queryRow(ctx, `SELECT ph.id, ph.post_id, ph.sha256, ph.content_type, ph.size, ph.width, ph.height, ph.data, p.company_id
		FROM photos ph JOIN posts p ON p.id = ph.post_id WHERE ph.id = ?`, id), &data, &companyID)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !a.Can(nakamawashi.PermCompanyRead, companyID) {
		return nil, nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.photo.not_found")
	} else if err != nil {
		return nil, nakamawashi.Internal(s.op("FindPhoto"), err)
	}
	ph.Data = data
	return ph, nil
}
