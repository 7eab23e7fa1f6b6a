package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// bigPDF is a PDF of n bytes: a small one padded with a comment.
func bigPDF(n int) []byte {
	b := make([]byte, n)
	copy(b, flowPDF)
	for i := len(flowPDF); i < n; i++ {
		b[i] = ' '
	}
	if n > len(flowPDF) {
		b[len(flowPDF)] = '%'
	}
	return b
}

// drawingBody is a multipart body with one file in field and more fields.
func drawingBody(t *testing.T, field, name string, content []byte, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// upload posts a multipart body as the customer, from the browser (the
// session cookie, the CSRF token in the form or the header) or with an
// API token.
func (m *matrix) upload(path string, body io.Reader, ctype string, bearer string, csrfHeader string) (*http.Response, string) {
	m.t.Helper()
	req, _ := http.NewRequest("POST", m.e.ts.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else {
		sess, _ := m.login("customer")
		req.AddCookie(&http.Cookie{Name: "nkm_session", Value: sess.Token})
		if csrfHeader != "" {
			req.Header.Set("X-CSRF-Token", sess.CSRFToken)
		}
	}
	resp, err := m.client.Do(req)
	if err != nil {
		m.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestDrawingUploadLimits sends drawings of the largest size allowed and
// larger, from the pages and through the API, by cookie and by token: a
// drawing of MaxDrawingBytes is taken (above the limit for photos), a
// larger one is 413 with the message on the form's file input, or as JSON.
func TestDrawingUploadLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads of 50 MB")
	}
	m := newMatrix(t)
	max := int(nakamawashi.MaxDrawingBytes)
	ok, over := bigPDF(max), bigPDF(max+1)
	huge := bigPDF(max + 2<<20) // over the body limit: refused unread
	const msg = "図面ファイルは50MBまでです。"
	ja := nakamawashi.Japanese
	if _, err := m.e.store.UpdateUser(m.sys, m.e.users["customer"].ID, nakamawashi.UserUpdate{Language: &ja}); err != nil {
		t.Fatal(err)
	}
	_, customer := m.login("customer")
	customerCtx := nakamawashi.NewContextWithActor(t.Context(), customer)
	tok, err := m.e.store.CreateAPIToken(customerCtx, "uploads", timeIn(1))
	if err != nil {
		t.Fatal(err)
	}
	count := func(inquiryID int64) int {
		t.Helper()
		q, err := m.e.store.FindInquiryByID(m.sys, inquiryID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range q.Parts[0].Drawings {
			n += len(d.Versions)
		}
		return n
	}

	// The page's form: the CSRF token in the body.
	for _, c := range []struct {
		name    string
		content []byte
		status  int
	}{{"max", ok, 303}, {"over", over, 413}, {"huge", huge, 413}} {
		f := m.newFlow(stageSubmitted)
		field := "drawing_" + f.partID()
		sess, _ := m.login("customer")
		body, ctype := drawingBody(t, field, "G-002.pdf", c.content, map[string]string{"csrf_token": sess.CSRFToken, "note": "改訂"})
		req, _ := http.NewRequest("POST", m.e.ts.URL+"/inquiries/"+f.inquiryID()+"/parts/"+f.partID()+"/drawings", body)
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(&http.Cookie{Name: "nkm_session", Value: sess.Token})
		resp, err := m.client.Do(req)
		if err != nil {
			t.Fatalf("page %s: %v", c.name, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode != c.status {
			t.Fatalf("page %s: status %d, want %d\n%.800s", c.name, resp.StatusCode, c.status, page)
		}
		want := 2 // the fixture's drawing and this one
		if c.status != 303 {
			want = 1
			// The inquiry's page again, the message on the part's file input.
			i := strings.Index(page, `name="`+field+`"`)
			if i < 0 || !strings.Contains(page[i:], `<p class="field-error">`+msg+`</p>`) ||
				strings.Index(page[i:], msg) > strings.Index(page[i:], "</form>") {
				t.Errorf("page %s: no %q on the file input\n%.2000s", c.name, msg, page)
			}
		} else if loc := resp.Header.Get("Location"); !strings.Contains(loc, "ok=drawing") {
			t.Errorf("page %s: redirected to %q", c.name, loc)
		}
		if n := count(f.inquiry); n != want {
			t.Errorf("page %s: %d drawing versions, want %d", c.name, n, want)
		}
	}

	// The API, by the browser's cookie and by a token.
	for _, bearer := range []string{"", tok.Token} {
		for _, c := range []struct {
			name    string
			content []byte
			status  int
		}{{"max", ok, 201}, {"over", over, 413}, {"huge", huge, 413}} {
			f := m.newFlow(stageSubmitted)
			body, ctype := drawingBody(t, "file", "G-002.pdf", c.content, map[string]string{"note": "改訂"})
			resp, b := m.upload("/api/v1/parts/"+f.partID()+"/drawings", body, ctype, bearer, "header")
			via := map[bool]string{true: "token", false: "cookie"}[bearer != ""]
			if resp.StatusCode != c.status {
				t.Fatalf("API by %s, %s: status %d, want %d: %.300s", via, c.name, resp.StatusCode, c.status, b)
			}
			if c.status == 413 {
				var e struct {
					Error struct{ Code, Message string }
				}
				if json.Unmarshal([]byte(b), &e) != nil || e.Error.Code != "too_large" || e.Error.Message != msg {
					t.Errorf("API by %s, %s: %s", via, c.name, b)
				}
			}
		}
	}

	// A new inquiry with a drawing of the largest size, from the form.
	sess, _ := m.login("customer")
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range map[string]string{"csrf_token": sess.CSRFToken, "title": "大きな図面の試作", "desired_date": nakamawashi.DateOf(timeIn(30)).String(),
		"delivery_place": "本社", "parts.0.name": "フレーム", "parts.0.quantity": "2"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("parts.0.drawing", "F-001.pdf")
	fw.Write(ok)
	mw.Close()
	req, _ := http.NewRequest("POST", m.e.ts.URL+"/inquiries/new", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "nkm_session", Value: sess.Token})
	resp, err := m.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || !strings.Contains(resp.Header.Get("Location"), "ok=submitted") {
		t.Fatalf("new inquiry with a 50 MB drawing: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
