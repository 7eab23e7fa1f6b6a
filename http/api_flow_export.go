package http

import (
	"bytes"
	gohttp "net/http"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/document"
)

// maxExport bounds the records of one export; a longer period is exported
// in parts.
const maxExport = 10_000

// apiDocumentExport exports the records a search finds (電子帳簿保存法):
// CSV for Excel (UTF-8 with BOM, or Shift_JIS) or a ZIP of their PDFs. The
// file is made in full before the first byte is sent, so that a failure is
// an error the caller sees, not a truncated file.
func (s *Server) apiDocumentExport(w gohttp.ResponseWriter, r *gohttp.Request) {
	f, err := documentFilter(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "zip" {
		s.Error(w, r, fieldError("format", "err.flowapi.export_format"))
		return
	}
	enc := document.UTF8BOM
	switch q.Get("encoding") {
	case "", "utf8", "utf-8":
	case "sjis", "shift_jis":
		enc = document.ShiftJIS
	default:
		s.Error(w, r, fieldError("encoding", "err.flowapi.export_encoding"))
		return
	}
	opt, err := documentOptions(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	var docs []*nakamawashi.IssuedDocument
	f.Offset, f.Limit = 0, nakamawashi.MaxPageSize
	for {
		page, total, err := s.Store.FindDocuments(ctx, f)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if total > maxExport {
			s.Error(w, r, nakamawashi.Errorf(nakamawashi.EINVALID, "err.flowapi.export_too_many", maxExport))
			return
		}
		docs = append(docs, page...)
		f.Offset += len(page)
		if len(page) == 0 || f.Offset >= total {
			break
		}
	}
	var buf bytes.Buffer
	name := "records-" + time.Now().In(nakamawashi.JST).Format("20060102")
	ctype := "text/csv; charset=utf-8"
	if format == "zip" {
		for i, d := range docs {
			if d.Data == nil {
				if docs[i], err = s.Store.FindDocumentByID(ctx, d.ID); err != nil {
					s.Error(w, r, err)
					return
				}
			}
		}
		err, ctype, name = document.WriteZIP(&buf, docs, opt), "application/zip", name+".zip"
	} else {
		if enc == document.ShiftJIS {
			ctype = "text/csv; charset=Shift_JIS"
		}
		err, name = document.WriteCSV(&buf, docs, enc), name+".csv"
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", attachment(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	gohttp.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}
