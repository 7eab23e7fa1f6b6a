package http_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func TestSearchPage(t *testing.T) {
	e := newEnv(t)
	e.seedDirectory()
	c := e.client()
	c.login("ownerA")
	// Two characters of Japanese, and the same word typed in half-width kana.
	for _, q := range []string{"研削", "ｹﾝｻｸ", "けんさく"} {
		resp, body := c.get("/companies?q=" + url.QueryEscape(q))
		table := section(body, "company-table")
		if resp.StatusCode != 200 || !strings.Contains(body, `id="company-search" name="q"`) || !strings.Contains(table, `class="company-link">`+e.b.Name) {
			t.Errorf("q=%s: %d %s", q, resp.StatusCode, table)
		}
		if strings.Contains(table, e.a.Name) {
			t.Errorf("q=%s finds A, which does not grind", q)
		}
	}
	_, body := c.get("/companies?q=" + url.QueryEscape("研削"))
	if !strings.Contains(section(body, "company-table"), `<span class="badge">工程</span>`) {
		t.Errorf("matched fields not shown: %s", section(body, "company-table"))
	}
	// Filters: a round part of φ250 fits A's lathe, not B's grinder.
	resp, body := c.get("/companies?part_shape=round&part_d=250&part_l=300")
	if table := section(body, "company-table"); resp.StatusCode != 200 || !strings.Contains(table, e.a.Name) || strings.Contains(table, e.b.Name) {
		t.Errorf("part filter: %d %s", resp.StatusCode, table)
	}
	if _, body := c.get("/companies?process=grinding.cylindrical&tolerance_um=2"); !strings.Contains(body, e.b.Name) || strings.Contains(section(body, "company-table"), e.a.Name) {
		t.Errorf("process and tolerance filter: %s", section(body, "company-table"))
	}
	// Wrong parameters show on the page, in Japanese.
	resp, body = c.get("/companies?process=nope&part_x=abc&part_shape=box")
	if resp.StatusCode != 400 || !strings.Contains(body, "「nope」は工程の一覧にありません") || !strings.Contains(body, `id="error-part_x"`) {
		t.Errorf("bad params: %d %.300s", resp.StatusCode, section(body, "company-search-form"))
	}
	// A customer sees its own company only, without the directory filters.
	cc := e.client()
	cc.login("customer")
	resp, body = cc.get("/companies?q=" + url.QueryEscape("研削"))
	if resp.StatusCode != 200 || strings.Contains(body, e.b.Name) || strings.Contains(body, `id="process"`) {
		t.Errorf("customer: %d %s", resp.StatusCode, section(body, "company-results"))
	}
}

func TestSearchAPI(t *testing.T) {
	e := newEnv(t)
	e.seedDirectory()
	tok := e.token("ownerA")
	var list struct {
		Items []nakamawashi.SearchHit `json:"items"`
		Total int                     `json:"total"`
		Limit int                     `json:"limit"`
	}
	resp, body := e.api(tok, "GET", "/api/v1/search?q="+url.QueryEscape("研削")+"&limit=5", "")
	// B grinds cylinders, the partner surfaces; A only turns.
	if err := json.Unmarshal([]byte(body), &list); err != nil || resp.StatusCode != 200 || list.Total != 2 || list.Limit != 5 ||
		len(list.Items) != 2 || len(list.Items[0].Matched) == 0 || strings.Contains(body, e.a.Name) || !strings.Contains(body, e.b.Name) {
		t.Fatalf("search: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "GET", "/api/v1/search?lot_size=volume&kind=partner&region="+url.QueryEscape("日立市"), "")
	if resp.StatusCode != 200 || !strings.Contains(body, e.partner.Name) || strings.Contains(body, e.a.Name) {
		t.Errorf("filters: %d %s", resp.StatusCode, body)
	}
	for _, tt := range []struct{ query, field string }{
		{"process=nope", "process"},
		{"material=unobtainium", "material"},
		{"certification=ISO0", "certification"},
		{"kind=alien", "kind"},
		{"lot_size=huge", "lot_size"},
		{"part_shape=hex&part_x=1", "part_shape"},
		{"part_x=10", "part_shape"},
		{"part_shape=box&part_x=abc&part_y=1&part_z=1", "part_x"},
		{"part_shape=box&part_x=1e3&part_y=1&part_z=1", "part_x"},
		{"part_shape=round&part_d=NaN&part_l=1", "part_d"},
		{"part_shape=box&part_x=10", "part_shape"},
		{"tolerance_um=-1", "tolerance_um"},
		{"tolerance_um=Inf", "tolerance_um"},
		{"q=" + strings.Repeat("研", 201), "q"},
		{"limit=x", "limit"},
		{"offset=-1", "offset"},
	} {
		resp, body := e.api(tok, "GET", "/api/v1/search?"+tt.query, "")
		if resp.StatusCode != 400 || decodeError(t, body).Error.Fields[tt.field] == "" {
			t.Errorf("%s: %d %s, want 400 on %s", tt.query, resp.StatusCode, body, tt.field)
		}
	}
	if resp, body := e.api(e.token("customer"), "GET", "/api/v1/search?q=x", ""); resp.StatusCode != 403 {
		t.Errorf("customer: %d %s", resp.StatusCode, body)
	}

	// The vocabulary, for the API's clients.
	var vocab struct {
		Version   string                `json:"version"`
		Processes []nakamawashi.Process `json:"processes"`
		LotSizes  []string              `json:"lot_sizes"`
	}
	resp, body = e.api(e.token("customer"), "GET", "/api/v1/vocabulary", "")
	if err := json.Unmarshal([]byte(body), &vocab); err != nil || resp.StatusCode != 200 || vocab.Version != nakamawashi.VocabularyVersion ||
		len(vocab.Processes) != len(nakamawashi.Processes()) || len(vocab.LotSizes) != 3 {
		t.Errorf("vocabulary: %d %.300s", resp.StatusCode, body)
	}

	// Profiles through the API.
	path := "/api/v1/companies/" + itoa(e.a.ID) + "/profile"
	if resp, body := e.api(tok, "GET", path, ""); resp.StatusCode != 200 || !strings.Contains(body, `"turning.nc"`) {
		t.Errorf("profile: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "PUT", path, `{"processes":["mc.5axis"],"lot_sizes":["prototype"],"capacity_hours":20,"latitude":35.56,"longitude":139.72}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"mc.5axis"`) || !strings.Contains(body, `"latitude":35.56`) {
		t.Errorf("profile put: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api(tok, "PUT", path, `{"processes":["nope"],"latitude":99}`); resp.StatusCode != 400 || len(decodeError(t, body).Error.Fields) != 2 {
		t.Errorf("profile put invalid: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.api(tok, "PUT", "/api/v1/companies/"+itoa(e.b.ID)+"/profile", `{"processes":["mc.5axis"]}`); resp.StatusCode != 403 {
		t.Errorf("B's profile as A: %d", resp.StatusCode)
	}
}
