package http_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func postDecode(t testing.TB, h http.Handler, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/v1/test", strings.NewReader(string(body)))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestDecodeJSON(t *testing.T) {
	h := nkmhttp.DecodeJSONHandler(1024)
	for _, tt := range []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		field       string
	}{
		{"ok", "application/json", `{"name":"山田製作所","user_id":3}`, 200, "", ""},
		{"ok with charset", "application/json; charset=utf-8", `{"name":"x"}`, 200, "", ""},
		{"wrong content type", "text/plain", `{"name":"x"}`, 415, "unsupported_media", ""},
		{"no content type", "", `{"name":"x"}`, 415, "unsupported_media", ""},
		{"other charset", "application/json; charset=shift_jis", `{"name":"x"}`, 415, "unsupported_media", ""},
		{"empty", "application/json", ``, 400, "invalid", ""},
		{"blank", "application/json", "  \n ", 400, "invalid", ""},
		{"syntax", "application/json", `{"name":`, 400, "invalid", ""},
		{"syntax 2", "application/json", `{"name" "x"}`, 400, "invalid", ""},
		{"unknown field", "application/json", `{"nmae":"x"}`, 400, "invalid", "nmae"},
		{"wrong type", "application/json", `{"name":5}`, 400, "invalid", "name"},
		{"wrong type int", "application/json", `{"user_id":"5"}`, 400, "invalid", "user_id"},
		{"wrong type nested", "application/json", `{"nested":{"values":["a"]}}`, 400, "invalid", "nested.values"},
		{"not an object", "application/json", `[1,2]`, 400, "invalid", ""},
		{"trailing", "application/json", `{"name":"x"}{"name":"y"}`, 400, "invalid", ""},
		{"trailing garbage", "application/json", `{"name":"x"} x`, 400, "invalid", ""},
		{"invalid utf-8", "application/json", "{\"name\":\"\xff\xfe\"}", 400, "invalid", ""},
		{"too deep", "application/json", `{"tags":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, 400, "invalid", ""},
		{"too large", "application/json", `{"name":"` + strings.Repeat("あ", 1000) + `"}`, 413, "too_large", ""},
		{"bad time", "application/json", `{"expires_at":"tomorrow"}`, 400, "invalid", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := postDecode(t, h, tt.contentType, []byte(tt.body))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.code == "" {
				return
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			var e apiError
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("error body %q: %v", w.Body, err)
			}
			if e.Error.Code != tt.code {
				t.Errorf("code %q, want %q", e.Error.Code, tt.code)
			}
			if e.Error.Message == "" || strings.HasPrefix(e.Error.Message, "err.") {
				t.Errorf("message %q is not a translated text", e.Error.Message)
			}
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Errorf("fields %v do not name %q", e.Error.Fields, tt.field)
			}
		})
	}
}

// TestDecodeJSONLanguage checks that API errors follow Accept-Language for
// anonymous callers and default to Japanese.
func TestDecodeJSONLanguage(t *testing.T) {
	h := nkmhttp.DecodeJSONHandler(1024)
	for _, tt := range []struct{ accept, want string }{
		{"", "JSON"},
		{"en-US,en;q=0.9", "malformed"},
		{"ja,en;q=0.5", "構文"},
	} {
		r := httptest.NewRequest("POST", "/api/v1/test", strings.NewReader(`{`))
		r.Header.Set("Content-Type", "application/json")
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("Accept-Language %q: body %s, want it to contain %q", tt.accept, w.Body, tt.want)
		}
	}
}

// FuzzDecodeJSON checks that no body makes the decoder panic or answer 5xx,
// and that every error is the documented JSON shape.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"株式会社山田製作所","name_kana":"ヤマダセイサクショ","postal_code":"144-0051"}`,
		`{"user_id":1,"role":"staff","disabled":true,"expires_at":"2030-01-01T00:00:00Z"}`,
		`{"tags":["a","b"],"nested":{"values":[1.5,2]}}`,
		`{"nmae":"x"}`, `{"name":5}`, `[]`, `null`, `"x"`, `{}{}`, `{"a":`, "\xff", ``,
		`{"tags":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
		`{"user_id":99999999999999999999999}`, `{"name":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	h := nkmhttp.DecodeJSONHandler(4096)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := postDecode(t, h, "application/json", body)
		if w.Code >= 500 || w.Code < 200 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if w.Code >= 300 {
			var e apiError
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("error body %q for %q: %v", w.Body, body, err)
			}
			if !utf8.ValidString(e.Error.Message) {
				t.Fatalf("message is not UTF-8: %q", e.Error.Message)
			}
		}
	})
}
