package http

import (
	"errors"
	gohttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
)

// searchParams are the query parameters of a directory search, the same
// for the page and the API.
var searchParams = []string{"q", "process", "material", "certification", "region", "kind", "lot_size",
	"part_shape", "part_x", "part_y", "part_z", "part_d", "part_l", "tolerance_um"}

// searchForm holds the search parameters as typed.
type searchForm map[string]string

func (f searchForm) Get(name string) string { return f[name] }

// parseSearch reads a search from query parameters, strictly: every value
// is checked, and a wrong one is an EINVALID error naming its parameter.
// A part size needs a shape and its numbers; a shape alone asks nothing.
func parseSearch(q url.Values) (nakamawashi.SearchQuery, searchForm, error) {
	f := searchForm{}
	for _, name := range searchParams {
		f[name] = strings.TrimSpace(q.Get(name))
		if !utf8.ValidString(f[name]) {
			return nakamawashi.SearchQuery{}, f, invalidParam(name)
		}
	}
	n := newNumbers()
	sq := nakamawashi.SearchQuery{
		Text: f["q"], Process: f["process"], Material: f["material"], Certification: f["certification"],
		Region: f["region"], Kind: nakamawashi.CompanyKind(f["kind"]), LotSize: nakamawashi.LotSize(f["lot_size"]),
		ToleranceUM: n.float("tolerance_um", f["tolerance_um"]),
	}
	sized := f["part_x"]+f["part_y"]+f["part_z"]+f["part_d"]+f["part_l"] != ""
	switch shape := f["part_shape"]; shape {
	case "":
		if sized {
			n.pr.Add("part_shape", "err.envelope.shape")
		}
	case string(nakamawashi.ShapeBox), string(nakamawashi.ShapeRound):
		if sized {
			part := n.envelope("part", shape, f["part_x"], f["part_y"], f["part_z"], f["part_d"], f["part_l"])
			sq.Part = &part
		}
	default:
		n.pr.Add("part_shape", "err.envelope.shape")
	}
	if !utf8.ValidString(sq.Region) || utf8.RuneCountInString(sq.Region) > 50 {
		n.pr.Add("region", "err.text_max", 50)
	}
	err := sq.Validate()
	var e *nakamawashi.Error
	if errors.As(err, &e) {
		err = renameFields(e, map[string]string{"text": "q", "part": "part_shape"})
	}
	return sq, f, n.merge(err)
}

// searchData is what the search page shows.
type searchData struct {
	Form      searchForm
	Hits      []*nakamawashi.SearchHit
	Total     int
	Offset    int
	Limit     int
	Directory bool // the caller may search the directory; else only its own company is listed
	PrevURL   string
	NextURL   string
}

// handleCompanyList is the partner search: words and filters over the
// directory, with the fields each company matched in. A caller who may not
// read the directory (a customer) sees its own company only.
func (s *Server) handleCompanyList(w gohttp.ResponseWriter, r *gohttp.Request) {
	ctx := r.Context()
	offset, limit, err := parsePage(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sq, f, perr := parseSearch(r.URL.Query())
	d := &searchData{Form: f, Offset: offset, Limit: limit,
		Directory: nakamawashi.ActorFromContext(ctx).CanNetwork(nakamawashi.PermDirectoryRead)}
	p := s.newPage(w, r, "ui.search.title")
	p.Data = d
	if perr != nil {
		s.renderForm(w, r, 0, "companies", p, perr)
		return
	}
	if d.Directory {
		sq.Offset, sq.Limit = offset, limit
		res, err := s.Store.Search(ctx, sq)
		if err != nil {
			s.renderForm(w, r, 0, "companies", p, err)
			return
		}
		d.Hits, d.Total = res.Hits, res.Total
	} else {
		cs, total, err := s.Store.FindCompanies(ctx, nakamawashi.CompanyFilter{Query: sq.Text, Kind: sq.Kind, Region: sq.Region, Offset: offset, Limit: limit})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		for _, c := range cs {
			d.Hits = append(d.Hits, &nakamawashi.SearchHit{Company: c})
		}
		d.Total = total
	}
	pageURL := func(off int) string {
		v := url.Values{}
		for k, val := range f {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("offset", strconv.Itoa(off))
		return "/companies?" + v.Encode()
	}
	if offset > 0 {
		d.PrevURL = pageURL(max(0, offset-limit))
	}
	if offset+len(d.Hits) < d.Total {
		d.NextURL = pageURL(offset + limit)
	}
	s.render(w, r, gohttp.StatusOK, "companies", p)
}
