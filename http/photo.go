package http

import (
	"bytes"
	"errors"
	"io"
	"mime"
	gohttp "net/http"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// uploadMemory is how much of a multipart body is kept in memory; the rest
// of the photos wait in temporary files, which the server removes after
// the request.
const uploadMemory = 8 << 20

// maxUpload is the body limit of a post with photos: every photo at its
// largest, plus 1 MiB for the text and the multipart framing.
func (s *Server) maxUpload() int64 {
	if s.MaxUploadBytes > 0 {
		return s.MaxUploadBytes
	}
	return nakamawashi.MaxPhotosPerPost*nakamawashi.MaxPhotoBytes + 1<<20
}

// isMultipart reports whether the request body is multipart/form-data.
func isMultipart(r *gohttp.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// parseUpload parses a multipart body under the route's upload limit (the
// server's, for posts with photos). It is idempotent, so that the CSRF
// check and the handler can both call it.
func (s *Server) parseUpload(w gohttp.ResponseWriter, r *gohttp.Request) error {
	if r.MultipartForm != nil {
		return nil
	}
	if !isMultipart(r) {
		return nakamawashi.Errorf(nakamawashi.EUNSUPPORTED, "err.http.multipart")
	}
	info := requestInfoFrom(r.Context())
	limit := s.maxUpload()
	if info.maxBody > 0 {
		limit = info.maxBody
	}
	var tooLarge error = nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.http.too_large", limit)
	if info.tooLargeErr != nil {
		tooLarge = info.tooLargeErr()
	}
	if r.ContentLength > limit {
		return tooLarge
	}
	r.Body = gohttp.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *gohttp.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return nakamawashi.Errorf(nakamawashi.EINVALID, "err.http.form")
	}
	return validValues(r.MultipartForm.Value)
}

// uploadedPhotos reads the files of the field "photos". A photo over
// MaxPhotoBytes is refused as too large; what a photo is, is decided later
// by Photo.Inspect from its bytes, never from its name or its part's
// Content-Type. An empty part without a name is a file input left empty.
func uploadedPhotos(r *gohttp.Request) ([]*nakamawashi.Photo, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []*nakamawashi.Photo
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if fh.Size > nakamawashi.MaxPhotoBytes {
			return nil, nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.photo.too_large", nakamawashi.MaxPhotoBytes>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.http.photo_read")
		}
		data, err := io.ReadAll(io.LimitReader(f, nakamawashi.MaxPhotoBytes+1))
		f.Close()
		if err != nil {
			return nil, nakamawashi.Errorf(nakamawashi.EINVALID, "err.http.photo_read")
		}
		if len(data) > nakamawashi.MaxPhotoBytes {
			return nil, nakamawashi.Errorf(nakamawashi.ETOOLARGE, "err.photo.too_large", nakamawashi.MaxPhotoBytes>>20)
		}
		out = append(out, &nakamawashi.Photo{Data: data})
	}
	return out, nil
}

// photoTypes are the content types a photo may be served as; Inspect
// decides one of them when the photo is uploaded.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// handlePhoto serves a photo to those who may see its company (the store
// scopes FindPhoto). It is served as the image type decided at upload,
// inline, never sniffed, under a CSP that lets nothing run even if the
// bytes were opened as a document, and cached privately by its hash.
func (s *Server) handlePhoto(w gohttp.ResponseWriter, r *gohttp.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ph, err := s.Store.FindPhoto(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctype := ph.ContentType
	if !photoTypes[ctype] {
		ctype = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", "inline")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=86400")
	if ph.SHA256 != "" {
		h.Set("ETag", `"`+ph.SHA256+`"`)
	}
	gohttp.ServeContent(w, r, "", time.Time{}, bytes.NewReader(ph.Data))
}
