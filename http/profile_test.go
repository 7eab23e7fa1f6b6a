package http_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// seedDirectory gives A, B and the regional partner profiles and machines
// for search and matching: A turns, B grinds, the partner plates.
func (e *env) seedDirectory() {
	e.t.Helper()
	sys := systemContext()
	for _, s := range []struct {
		c        *nakamawashi.Company
		profile  nakamawashi.Profile
		machines []nakamawashi.Machine
	}{
		{e.a, nakamawashi.Profile{Processes: []string{"turning.nc"}, Materials: []string{"S45C", "SUS304"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotPrototype, nakamawashi.LotSmall}, CapacityHours: 40, HourlyRate: 6000},
			[]nakamawashi.Machine{{Process: "turning.nc", Maker: "オークマ", Model: "LB3000", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 500}, Axes: 2, ToleranceUM: 5, RoughnessRa: 0.8}}},
		{e.b, nakamawashi.Profile{Processes: []string{"grinding.cylindrical"}, Materials: []string{"S45C"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotPrototype}, CapacityHours: 30, HourlyRate: 7000},
			[]nakamawashi.Machine{{Process: "grinding.cylindrical", Maker: "ジェイテクト", Model: "GE4i", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 200, L: 600}, ToleranceUM: 1, RoughnessRa: 0.1}}},
		{e.partner, nakamawashi.Profile{Processes: []string{"plating.electroless_ni", "grinding.surface"}, LotSizes: []nakamawashi.LotSize{nakamawashi.LotVolume}, CapacityHours: 80, HourlyRate: 5000},
			[]nakamawashi.Machine{{Process: "grinding.surface", Maker: "岡本", Model: "PSG63", Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeBox, X: 600, Y: 300, Z: 300}, ToleranceUM: 3}}},
	} {
		p := s.profile
		p.CompanyID = s.c.ID
		if err := e.store.UpdateProfile(sys, &p); err != nil {
			e.t.Fatal(err)
		}
		for _, m := range s.machines {
			m.CompanyID = s.c.ID
			if err := e.store.CreateMachine(sys, &m); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// section returns the element with the id, up to the next section end.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestProfileEdit(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("ownerA")
	path := "/companies/" + itoa(e.a.ID) + "/profile"
	if resp, body := c.get(path); resp.StatusCode != 200 || !strings.Contains(body, `id="profile-form"`) || !strings.Contains(body, `id="location-hint"`) {
		t.Fatalf("form: %d %.300s", resp.StatusCode, body)
	}

	// Wrong input comes back in Japanese, next to each field, with the input kept.
	resp, body := c.post(path, url.Values{"processes": {"grinding.cylindrical", "nope"}, "materials": {"S45C"},
		"capacity_hours": {"四十"}, "hourly_rate": {"６０００"}, "latitude": {"35.56"}})
	if resp.StatusCode != 400 {
		t.Fatalf("invalid: %d %.500s", resp.StatusCode, body)
	}
	for _, want := range []string{"整数で入力してください", "「nope」は工程の一覧にありません", "緯度と経度は両方入力するか", `id="error-capacity_hours"`,
		`value="grinding.cylindrical" id="process-grinding.cylindrical" checked`, `value="S45C" id="material-S45C" checked`, `value="６０００"`} {
		if !strings.Contains(body, want) {
			t.Errorf("invalid form lacks %q", want)
		}
	}

	// A valid profile shows on the company page, grouped.
	resp, body = c.post(path, url.Values{"processes": {"grinding.cylindrical", "turning.nc"}, "materials": {"S45C"},
		"certifications": {"ISO9001"}, "lot_sizes": {"prototype", "volume"}, "capacity_hours": {"40"}, "hourly_rate": {"６，０００"},
		"employees": {"12"}, "latitude": {"35.5613"}, "longitude": {"139.7160"}})
	if resp.StatusCode != 303 {
		t.Fatalf("save: %d %.500s", resp.StatusCode, body)
	}
	_, body = c.get("/companies/" + itoa(e.a.ID))
	procs := section(body, "profile-processes")
	if !strings.Contains(procs, "円筒研削") || !strings.Contains(procs, "研削・研磨") || !strings.Contains(procs, "NC旋盤") {
		t.Errorf("processes: %s", procs)
	}
	for _, want := range []string{"ISO 9001", "試作（1〜10個）", "量産（1000個以上）", "40 時間/週", "¥6,000", "12 名", "35.5613, 139.7160", "入力済み", `id="profile-machines"`, `id="profile-posts"`} {
		if !strings.Contains(body, want) {
			t.Errorf("company page lacks %q", want)
		}
	}

	// Another company's profile: not for A's owner; B's owner gets English.
	if resp, _ := c.get("/companies/" + itoa(e.b.ID) + "/profile"); resp.StatusCode != 403 {
		t.Errorf("B's profile form as A: %d", resp.StatusCode)
	}
	cb := e.client()
	cb.login("ownerB")
	resp, body = cb.post("/companies/"+itoa(e.b.ID)+"/profile", url.Values{"employees": {"-3"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "Enter a value from 0 to 100000") {
		t.Errorf("English errors: %d %.300s", resp.StatusCode, section(body, "profile-form"))
	}
}

func TestMachineCRUD(t *testing.T) {
	e := newEnv(t)
	e.seedDirectory()
	c := e.client()
	c.login("ownerA")
	base := "/companies/" + itoa(e.a.ID) + "/machines"
	if resp, body := c.get(base + "/new"); resp.StatusCode != 200 || !strings.Contains(body, `id="machine-form"`) {
		t.Fatalf("new: %d", resp.StatusCode)
	}
	resp, body := c.post(base+"/new", url.Values{"process": {"heat.quench"}, "shape": {"box"}, "envelope_x": {"abc"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "設備の種類を一覧") || !strings.Contains(body, "数値で入力してください") {
		t.Fatalf("invalid: %d %.400s", resp.StatusCode, section(body, "machine-form"))
	}
	resp, body = c.post(base+"/new", url.Values{"process": {"mc.5axis"}, "maker": {"ＤＭＧ森精機"}, "model": {"DMU 50"}, "count": {"2"},
		"shape": {"box"}, "envelope_x": {"650"}, "envelope_y": {"520"}, "envelope_z": {"475"}, "axes": {"5"}, "tolerance_um": {"3"}, "roughness_ra": {"0.4"}})
	if resp.StatusCode != 303 {
		t.Fatalf("create: %d %.400s", resp.StatusCode, body)
	}
	_, body = c.get("/companies/" + itoa(e.a.ID))
	machines := section(body, "profile-machines")
	for _, want := range []string{"マシニングセンタ 5軸", "DMG森精機 DMU 50", "650×520×475 mm", "±3", "Ra 0.4", "φ300×500 mm"} {
		if !strings.Contains(machines, want) {
			t.Errorf("machines lack %q: %s", want, machines)
		}
	}
	ms, err := e.store.FindMachines(systemContext(), e.a.ID)
	if err != nil || len(ms) != 2 {
		t.Fatal(ms, err)
	}
	id := itoa(ms[1].ID)
	if ms[1].Model != "DMU 50" {
		id = itoa(ms[0].ID)
	}
	if resp, body := c.get(base + "/" + id + "/edit"); resp.StatusCode != 200 || !strings.Contains(body, `value="DMU 50"`) {
		t.Errorf("edit: %d", resp.StatusCode)
	}
	resp, _ = c.post(base+"/"+id+"/edit", url.Values{"process": {"mc.5axis"}, "model": {"DMU 65"}, "shape": {"round"}, "envelope_d": {"650"}, "envelope_l": {"500"}})
	if _, body := c.get("/companies/" + itoa(e.a.ID)); resp.StatusCode != 303 || !strings.Contains(body, "DMU 65") || !strings.Contains(body, "φ650×500 mm") {
		t.Errorf("update: %d", resp.StatusCode)
	}

	// B's machine is not found under A, and A may not touch B's.
	bms, _ := e.store.FindMachines(systemContext(), e.b.ID)
	if resp, _ := c.get(base + "/" + itoa(bms[0].ID) + "/edit"); resp.StatusCode != 404 {
		t.Errorf("B's machine under A: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/companies/"+itoa(e.b.ID)+"/machines/"+itoa(bms[0].ID)+"/delete", nil); resp.StatusCode != 403 {
		t.Errorf("delete B's machine as A: %d", resp.StatusCode)
	}
	if resp, _ := c.post(base+"/"+id+"/delete", nil); resp.StatusCode != 303 {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	if ms, _ := e.store.FindMachines(systemContext(), e.a.ID); len(ms) != 1 {
		t.Errorf("after delete: %d machines", len(ms))
	}

	// The API: list, create, update, delete.
	tok := e.token("ownerA")
	api := "/api/v1/companies/" + itoa(e.a.ID) + "/machines"
	resp, body = e.api(tok, "POST", api, `{"process":"edm.wire","maker":"ソディック","model":"AL400G","envelope":{"shape":"box","x":400,"y":300,"z":250},"tolerance_um":2}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"model":"AL400G"`) {
		t.Fatalf("api create: %d %s", resp.StatusCode, body)
	}
	mid := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(body)[1]
	if resp, body := e.api(tok, "PUT", api+"/"+mid, `{"process":"edm.wire","model":"AL600G","envelope":{"shape":"box","x":600,"y":400,"z":350}}`); resp.StatusCode != 200 || !strings.Contains(body, "AL600G") {
		t.Errorf("api update: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api(tok, "PUT", api+"/"+mid, `{"process":"edm.wire","envelope":{"shape":"cube"}}`); resp.StatusCode != 400 || decodeError(t, body).Error.Fields["envelope"] == "" {
		t.Errorf("api invalid: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api(tok, "GET", api, ""); resp.StatusCode != 200 || !strings.Contains(body, `"total":2`) {
		t.Errorf("api list: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.api(tok, "DELETE", api+"/"+mid, ""); resp.StatusCode != 204 {
		t.Errorf("api delete: %d", resp.StatusCode)
	}
	if resp, _ := e.api(tok, "DELETE", "/api/v1/companies/"+itoa(e.a.ID)+"/machines/"+itoa(bms[0].ID), ""); resp.StatusCode != 404 {
		t.Errorf("api delete B's machine under A: %d", resp.StatusCode)
	}
}

// multipartBody builds a post form with files named as given.
func multipartBody(t testing.TB, fields map[string]string, files map[string][]byte) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photos"; filename="%s"`, name))
		h.Set("Content-Type", "image/png") // a lie for the disguised file; never trusted
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), &b
}

// upload posts a multipart form with the session's CSRF token.
func (c *client) upload(path string, fields map[string]string, files map[string][]byte) (*http.Response, string) {
	c.e.t.Helper()
	fields["csrf_token"] = c.csrf
	ct, body := multipartBody(c.e.t, fields, files)
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, body)
	req.Header.Set("Content-Type", ct)
	return c.do(req)
}

func TestPostWithPhotos(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("staffA")
	path := "/companies/" + itoa(e.a.ID) + "/posts/new"
	if resp, body := c.get(path); resp.StatusCode != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	img := pngBytes(40, 30)
	resp, body := c.upload(path, map[string]string{"title": "新しい5軸機を導入しました", "body": "見学歓迎です。"}, map[string][]byte{"machine.png": img})
	if resp.StatusCode != 303 {
		t.Fatalf("post: %d %.400s", resp.StatusCode, body)
	}
	_, body = c.get("/companies/" + itoa(e.a.ID))
	m := regexp.MustCompile(`<img src="/photos/(\d+)"`).FindStringSubmatch(section(body, "profile-posts"))
	if m == nil || !strings.Contains(body, "新しい5軸機を導入しました") {
		t.Fatalf("no photo on the page: %s", section(body, "profile-posts"))
	}
	resp, got := c.get("/photos/" + m[1])
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Content-Type") != "image/png" || got != string(img) {
		t.Fatalf("photo: %d %s", resp.StatusCode, h.Get("Content-Type"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Disposition") != "inline" ||
		!strings.HasPrefix(h.Get("Content-Security-Policy"), "default-src 'none'") || !strings.HasPrefix(h.Get("Cache-Control"), "private") || h.Get("ETag") == "" {
		t.Errorf("photo headers: %v", h)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/photos/"+m[1], nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if resp, _ := c.do(req); resp.StatusCode != 304 {
		t.Errorf("conditional photo: %d", resp.StatusCode)
	}

	// An HTML page named .png is refused from its bytes.
	html := []byte("<!doctype html><html><script>alert(1)</script></html>")
	resp, body = c.upload(path, map[string]string{"title": "偽装"}, map[string][]byte{"cute.png": html})
	if resp.StatusCode != 400 || !strings.Contains(body, "JPEG・PNG・WebP") {
		t.Errorf("disguised HTML: %d %.300s", resp.StatusCode, section(body, "post-form"))
	}
	// A photo over the limit is 413, and so is a body over the upload limit.
	resp, _ = c.upload(path, map[string]string{"title": "大きすぎ"}, map[string][]byte{"big.png": append(pngBytes(8, 8), make([]byte, nakamawashi.MaxPhotoBytes)...)})
	if resp.StatusCode != 413 {
		t.Errorf("photo over 8 MiB: %d", resp.StatusCode)
	}
	e.server.MaxUploadBytes = 64 << 10
	resp, _ = c.upload(path, map[string]string{"title": "大きすぎ"}, map[string][]byte{"a.png": img, "b.png": make([]byte, 100<<10)})
	if resp.StatusCode != 413 {
		t.Errorf("body over the upload limit: %d", resp.StatusCode)
	}
	e.server.MaxUploadBytes = 0

	// The API takes multipart with a bearer token, and JSON without photos.
	tok := e.token("ownerA")
	ct, mb := multipartBody(t, map[string]string{"title": "API投稿"}, map[string][]byte{"x.png": img})
	req, _ = http.NewRequest("POST", e.ts.URL+"/api/v1/companies/"+itoa(e.a.ID)+"/posts", mb)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.Contains(string(b), `"content_type":"image/png"`) {
		t.Errorf("api post: %d %s", resp.StatusCode, b)
	}
	if resp, body := e.api(tok, "POST", "/api/v1/companies/"+itoa(e.a.ID)+"/posts", `{"title":"","body":"x"}`); resp.StatusCode != 400 || decodeError(t, body).Error.Fields["title"] == "" {
		t.Errorf("api post invalid: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "GET", "/api/v1/companies/"+itoa(e.a.ID)+"/posts", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"total":2`) || strings.Index(body, "API投稿") > strings.Index(body, "新しい5軸機") {
		t.Errorf("api posts, newest first: %d %s", resp.StatusCode, body)
	}
	pid := regexp.MustCompile(`"id":(\d+),"company_id"`).FindStringSubmatch(body)[1]

	// Customers see neither other companies nor their photos.
	cc := e.client()
	cc.login("customer")
	for _, p := range []string{"/photos/" + m[1], "/companies/" + itoa(e.a.ID)} {
		if resp, body := cc.get(p); resp.StatusCode != 404 || strings.Contains(body, "新しい5軸機") {
			t.Errorf("customer %s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := e.api(e.token("customer"), "GET", "/api/v1/photos/"+m[1], ""); resp.StatusCode != 404 {
		t.Errorf("customer API photo: %d", resp.StatusCode)
	}

	// Deleting: B's owner may not; A's staff may.
	cb := e.client()
	cb.login("ownerB")
	if resp, _ := cb.post("/companies/"+itoa(e.a.ID)+"/posts/"+pid+"/delete", nil); resp.StatusCode != 403 {
		t.Errorf("delete A's post as B: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/companies/"+itoa(e.b.ID)+"/posts/"+pid+"/delete", nil); resp.StatusCode != 403 {
		t.Errorf("delete under B as A: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/companies/"+itoa(e.a.ID)+"/posts/"+pid+"/delete", nil); resp.StatusCode != 303 {
		t.Errorf("delete: %d", resp.StatusCode)
	}
}
