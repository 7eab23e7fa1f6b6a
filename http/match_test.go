package http_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/match"
)

func TestMatchAPI(t *testing.T) {
	e := newEnv(t)
	e.seedDirectory()
	tok := e.token("admin")
	routing := `{"routing":{"steps":[{"process":"turning.nc","material":"S45C","part":{"shape":"round","d":30,"l":150},"tolerance_um":10},
		{"process":"grinding.cylindrical","material":"S45C","tolerance_um":2},{"process":"plating.electroless_ni"}],"quantity":20},"k":3}`
	resp, body := e.api(tok, "POST", "/api/v1/match", routing)
	var res struct {
		Chains []struct {
			Rank  int `json:"rank"`
			Steps []struct {
				CompanyID int64 `json:"company_id"`
				Regional  bool  `json:"regional"`
			} `json:"steps"`
		} `json:"chains"`
		Steps []struct {
			Eligible         int            `json:"eligible"`
			ExcludedByReason map[string]int `json:"excluded_by_reason"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || resp.StatusCode != 200 || len(res.Chains) == 0 || len(res.Steps) != 3 {
		t.Fatalf("match: %d %s", resp.StatusCode, body)
	}
	ch := res.Chains[0]
	if ch.Rank != 1 || len(ch.Steps) != 3 || ch.Steps[0].CompanyID != e.a.ID || ch.Steps[1].CompanyID != e.b.ID ||
		ch.Steps[2].CompanyID != e.partner.ID || !ch.Steps[2].Regional {
		t.Errorf("chain: %+v", ch)
	}
	for _, tt := range []struct{ name, body, field string }{
		{"no steps", `{"routing":{"steps":[],"quantity":1}}`, "steps"},
		{"unknown process", `{"routing":{"steps":[{"process":"nope"}],"quantity":1}}`, "steps.0.process"},
		{"bad quantity", `{"routing":{"steps":[{"process":"turning.nc"}],"quantity":0}}`, "quantity"},
		{"bad k", `{"routing":{"steps":[{"process":"turning.nc"}],"quantity":1},"k":0}`, "k"},
		{"unknown field", `{"routing":{"steps":[{"process":"turning.nc","colour":"red"}],"quantity":1}}`, "colour"},
	} {
		resp, body := e.api(tok, "POST", "/api/v1/match", tt.body)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, body)
		} else if f := decodeError(t, body).Error.Fields; f[tt.field] == "" {
			t.Errorf("%s: fields %v, want %s", tt.name, f, tt.field)
		}
	}
	for _, key := range []string{"customer", "ownerA"} {
		if resp, body := e.api(e.token(key), "POST", "/api/v1/match", routing); resp.StatusCode != 403 {
			t.Errorf("%s: %d %s", key, resp.StatusCode, body)
		}
	}
}

func TestMatchPage(t *testing.T) {
	e := newEnv(t)
	e.seedDirectory()
	c := e.client()
	c.login("admin")
	if _, body := c.get("/"); !strings.Contains(body, `id="nav-match"`) || !strings.Contains(body, `id="nav-search"`) {
		t.Errorf("navigation lacks matching or search")
	}
	resp, body := c.get("/match?example=shaft")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="match-form"`) || !strings.Contains(body, `id="match-example-shaft"`) ||
		!strings.Contains(body, `id="match-submit"`) || !strings.Contains(body, `<option value="grinding.cylindrical" selected>`) {
		t.Fatalf("example: %d %.400s", resp.StatusCode, body)
	}
	if strings.Contains(body, `id="match-chains"`) {
		t.Errorf("an example only fills the form")
	}

	// Turning in SUS304 and grinding in SUS304: A turns it, B lacks the material.
	q := url.Values{"p1": {"turning.nc"}, "m1": {"SUS304"}, "shape1": {"round"}, "d1": {"30"}, "l1": {"150"}, "tol1": {"10"},
		"p2": {"grinding.cylindrical"}, "m2": {"SUS304"}, "quantity": {"10"}, "origin": {itoa(e.a.ID)}, "run": {"1"}}
	resp, body = c.get("/match?" + q.Encode())
	chains := section(body, "match-chains")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="match-excluded"`) {
		t.Fatalf("run: %d %.500s", resp.StatusCode, body)
	}
	if !strings.Contains(body, "材質対応なし") || !strings.Contains(body, "工程なし") {
		t.Errorf("exclusion reasons not in Japanese: %s", section(body, "match-excluded"))
	}
	if !strings.Contains(chains, "条件を満たすチェーンは見つかりませんでした") {
		t.Errorf("no chain expected: %s", chains)
	}

	// S45C: a chain of A then B, with a transport leg and a price.
	q.Set("m1", "S45C")
	q.Set("m2", "S45C")
	q.Set("p3", "plating.electroless_ni")
	q.Set("due", "2099-12-31")
	_, body = c.get("/match?" + q.Encode())
	chains = section(body, "match-chains")
	for _, want := range []string{`class="card match-chain"`, `<a href="/companies/` + itoa(e.a.ID) + `" class="chain-company">`, e.b.Name,
		`<span class="badge regional">地方企業</span>`, "概算金額 <strong>¥", "輸送 ", "納期内", "加工費", "待ち時間"} {
		if !strings.Contains(chains, want) {
			t.Errorf("chains lack %q: %s", want, chains)
		}
	}

	// Wrong input stays on the form, next to its row.
	resp, body = c.get("/match?p2=nope&x2=abc&quantity=0&run=1")
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-row2"`) || !strings.Contains(body, `id="error-quantity"`) {
		t.Errorf("invalid: %d %.300s", resp.StatusCode, section(body, "match-form"))
	}

	// Only those who match across the network.
	for _, key := range []string{"customer", "ownerA"} {
		cc := e.client()
		cc.login(key)
		if resp, body := cc.get("/match?example=shaft"); resp.StatusCode != 403 || strings.Contains(body, `id="match-form"`) {
			t.Errorf("%s: %d", key, resp.StatusCode)
		}
		if _, body := cc.get("/"); strings.Contains(body, `id="nav-match"`) {
			t.Errorf("%s sees the matching entry", key)
		}
	}
}

// TestDirectoryMessageKeys checks the keys the directory's pages build from
// codes: lot sizes, exclusion reasons, example routings and matched fields.
func TestDirectoryMessageKeys(t *testing.T) {
	for _, l := range nakamawashi.LotSizes {
		checkKey(t, "lot sizes", "ui.lot."+string(l))
	}
	for _, r := range []match.Reason{match.ReasonProcess, match.ReasonMaterial, match.ReasonEnvelope, match.ReasonTolerance,
		match.ReasonRoughness, match.ReasonCertification, match.ReasonCapacity} {
		checkKey(t, "reasons", "ui.reason."+string(r))
	}
	for _, k := range []string{"example.shaft", "example.bracket", "example.volume", "origin", "destination"} {
		checkKey(t, "matching", "ui.match."+k)
	}
	for _, f := range []string{"name", "kana", "process", "material", "machine", "post", "description"} {
		checkKey(t, "matched fields", "ui.search.field."+f)
	}
}
