package http

import (
	"context"
	gohttp "net/http"

	"github.com/nakamawashi/nakamawashi"
)

// postForm holds the post form's values as typed; photos are not kept.
type postForm struct {
	CompanyID   int64
	CompanyName string
	Title       string
	Body        string
}

// readPost reads a post from a form: urlencoded (text only) or multipart
// with photos. Each photo's type is decided from its bytes.
func (s *Server) readPost(w gohttp.ResponseWriter, r *gohttp.Request, companyID int64) (*nakamawashi.Post, error) {
	if isMultipart(r) {
		if err := s.parseUpload(w, r); err != nil {
			return nil, err
		}
	} else if err := s.parseForm(w, r); err != nil {
		return nil, err
	}
	post := &nakamawashi.Post{CompanyID: companyID, Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	photos, err := uploadedPhotos(r)
	if err != nil {
		return nil, err
	}
	post.Photos = photos
	return post, nil
}

// createPost checks a post, photos first (an oversized one is 413, not a
// field message), and stores it.
func (s *Server) createPost(ctx context.Context, post *nakamawashi.Post) error {
	for _, ph := range post.Photos {
		if err := ph.Inspect(); nakamawashi.ErrorCode(err) == nakamawashi.ETOOLARGE {
			return err
		}
	}
	if err := post.Validate(); err != nil {
		return err
	}
	return s.Store.CreatePost(ctx, post)
}

// companyHasPost reports, as ENOTFOUND, whether a post is not the
// company's: a post id of another company is not found under this one.
func (s *Server) companyHasPost(ctx context.Context, companyID, id int64) error {
	for offset := 0; ; offset += nakamawashi.MaxPageSize {
		posts, total, err := s.Store.FindPosts(ctx, nakamawashi.PostFilter{CompanyID: &companyID, Offset: offset, Limit: nakamawashi.MaxPageSize})
		if err != nil {
			return err
		}
		for _, p := range posts {
			if p.ID == id {
				return nil
			}
		}
		if len(posts) == 0 || offset+len(posts) >= total {
			return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.post.not_found")
		}
	}
}

// postTarget authorizes the caller to write the posts of the company in
// the path and loads it.
func (s *Server) postTarget(r *gohttp.Request) (*nakamawashi.Company, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermPostWrite, id); err != nil {
		return nil, err
	}
	return s.Store.FindCompanyByID(r.Context(), id)
}

// handlePostNew shows an empty post form.
func (s *Server) handlePostNew(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.postTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderPostForm(w, r, gohttp.StatusOK, &postForm{CompanyID: c.ID, CompanyName: c.Name}, nil)
}

// handlePostCreate stores a post with its photos.
func (s *Server) handlePostCreate(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.postTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	post, err := s.readPost(w, r, c.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := &postForm{CompanyID: c.ID, CompanyName: c.Name, Title: post.Title, Body: post.Body}
	if err := s.createPost(r.Context(), post); err != nil {
		s.renderPostForm(w, r, 0, f, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(c.ID)+"?ok=posted#profile-posts", gohttp.StatusSeeOther)
}

// handlePostDelete deletes a post of the company in the path.
func (s *Server) handlePostDelete(w gohttp.ResponseWriter, r *gohttp.Request) {
	c, err := s.postTarget(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pid, err := pathID(r, "pid")
	if err == nil {
		err = s.companyHasPost(r.Context(), c.ID, pid)
	}
	if err == nil {
		err = s.Store.DeletePost(r.Context(), pid)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	gohttp.Redirect(w, r, "/companies/"+itoa(c.ID)+"?ok=deleted#profile-posts", gohttp.StatusSeeOther)
}

func (s *Server) renderPostForm(w gohttp.ResponseWriter, r *gohttp.Request, status int, f *postForm, err error) {
	p := s.newPage(w, r, "ui.post.new_title")
	p.Form = f
	s.renderForm(w, r, status, "post_form", p, err)
}
