package http

import (
	gohttp "net/http"
	"strconv"

	"github.com/nakamawashi/nakamawashi"
)

// userListData is what the users page shows.
type userListData struct {
	Users   []*nakamawashi.User
	Total   int
	Offset  int
	Limit   int
	PrevURL string
	NextURL string
}

// handleUserList lists every user of the network, for the network office.
func (s *Server) handleUserList(w gohttp.ResponseWriter, r *gohttp.Request) {
	if err := nakamawashi.Authorize(r.Context(), nakamawashi.PermUsersAll, 0); err != nil {
		s.Error(w, r, err)
		return
	}
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &userListData{Offset: offset, Limit: limit}
	if d.Users, d.Total, err = s.Store.FindUsers(r.Context(), nakamawashi.UserFilter{Offset: offset, Limit: limit}); err != nil {
		s.Error(w, r, err)
		return
	}
	if offset > 0 {
		d.PrevURL = "/users?offset=" + strconv.Itoa(max(0, offset-limit))
	}
	if offset+len(d.Users) < d.Total {
		d.NextURL = "/users?offset=" + strconv.Itoa(offset+limit)
	}
	p := s.newPage(w, r, "ui.users.title")
	p.Data = d
	s.render(w, r, gohttp.StatusOK, "users", p)
}
