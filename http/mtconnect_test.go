package http_test

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

// mtDevice registers a device of kind mtconnect on m as the system.
func mtDevice(t *testing.T, e *env, m *nakamawashi.Machine, name string) *nakamawashi.Device {
	t.Helper()
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	d := &nakamawashi.Device{CompanyID: m.CompanyID, MachineID: m.ID, Name: name, Kind: nakamawashi.DeviceMTConnect}
	if _, err := e.store.CreateDevice(sys, d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMTConnectSourcePage(t *testing.T) {
	e, _, mA, _ := iotEnv(t)
	d := mtDevice(t, e, mA, "2号機 MTConnect")
	other := mtDevice(t, e, mA, "3号機 MTConnect")
	c := e.client()
	c.login("ownerA")
	base := "/companies/" + itoa(e.a.ID) + "/devices"
	path := base + "/" + itoa(d.ID) + "/mtconnect"

	// No allow-list: the page says so and offers no form; a post is refused.
	resp, body := c.get(base)
	if resp.StatusCode != 200 || !strings.Contains(body, "MTConnect の接続先が許可されていません（管理者が --mtconnect-allow で設定します）") ||
		strings.Contains(body, `id="mtconnect-form-`) {
		t.Fatalf("no allow-list: %d\n%s", resp.StatusCode, body)
	}
	resp, body = c.post(path, url.Values{"agent_url": {"http://agent.example.jp:5000"}})
	if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "--mtconnect-allow が空です") {
		t.Fatalf("no allow-list, post: %d\n%s", resp.StatusCode, body)
	}

	e.server.MTConnectAllow = []string{"agent.example.jp", "10.0.0.5:7878"}
	resp, body = c.get(base)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="mtconnect-form-`+itoa(d.ID)+`"`) || !strings.Contains(body, `id="mtconnect-form-`+itoa(other.ID)+`"`) ||
		strings.Contains(body, "--mtconnect-allow で設定します") {
		t.Fatalf("device page: %d\n%s", resp.StatusCode, body)
	}

	// A host off the list: 400, the Japanese message naming it on the field,
	// what was typed kept, and nothing saved.
	resp, body = c.post(path, url.Values{"agent_url": {"http://evil.example.com:5000"}, "agent_device": {"M1"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-mt-agent_url"`) ||
		!strings.Contains(html.UnescapeString(body), "ホスト evil.example.com は接続を許可されたMTConnect機器の一覧にありません") ||
		!strings.Contains(body, `value="http://evil.example.com:5000"`) {
		t.Fatalf("off the list: %d\n%s", resp.StatusCode, body)
	}
	if strings.Count(body, `id="error-mt-agent_url"`) != 1 {
		t.Errorf("the error shows on the other device's form too")
	}
	resp, body = c.post(path, url.Values{"adapter_addr": {"10.0.0.6:7878"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-mt-adapter_addr"`) || !strings.Contains(html.UnescapeString(body), "10.0.0.6") {
		t.Fatalf("adapter off the list: %d\n%s", resp.StatusCode, body)
	}
	resp, body = c.post(path, url.Values{"agent_url": {"http://agent.example.jp:5000"}, "adapter_addr": {"10.0.0.5:7878"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-mt-adapter_addr"`) {
		t.Fatalf("both: %d\n%s", resp.StatusCode, body)
	}
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	if src, err := e.store.FindMTConnectSource(sys, d.ID); err != nil || src != nil {
		t.Fatalf("refused, but saved: %+v, %v", src, err)
	}

	// Saved, shown in the form.
	resp, body = c.post(path, url.Values{"agent_url": {" http://agent.example.jp:5000 "}, "agent_device": {"Okuma01"}})
	if resp.StatusCode != 303 || !strings.Contains(resp.Header.Get("Location"), "ok=mtconnect") {
		t.Fatalf("save: %d\n%s", resp.StatusCode, body)
	}
	src, err := e.store.FindMTConnectSource(sys, d.ID)
	if err != nil || src == nil || src.AgentURL != "http://agent.example.jp:5000" || src.AgentDevice != "Okuma01" {
		t.Fatalf("saved: %+v, %v", src, err)
	}
	resp, body = c.get(base + "?ok=mtconnect")
	if !strings.Contains(body, `value="http://agent.example.jp:5000"`) || !strings.Contains(body, `value="Okuma01"`) ||
		!strings.Contains(body, "MTConnectの接続先を保存しました。") {
		t.Fatalf("page after saving: %d\n%s", resp.StatusCode, body)
	}

	// Not for a stack light; not for B's owner.
	light := &nakamawashi.Device{CompanyID: e.a.ID, MachineID: mA.ID, Name: "信号灯", Kind: nakamawashi.DeviceStackLight}
	if _, err := e.store.CreateDevice(sys, light); err != nil {
		t.Fatal(err)
	}
	resp, body = c.post(base+"/"+itoa(light.ID)+"/mtconnect", url.Values{"agent_url": {"http://agent.example.jp:5000"}})
	if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), "種類が「MTConnect」の機器だけです") {
		t.Fatalf("stack light: %d\n%s", resp.StatusCode, body)
	}
	cB := e.client()
	cB.login("ownerB")
	if resp, _ = cB.post(path, url.Values{"agent_url": {"http://agent.example.jp:5000"}}); resp.StatusCode != 404 {
		t.Fatalf("B's owner: %d, want 404", resp.StatusCode)
	}

	// Empty removes it.
	if resp, body = c.post(path, url.Values{"agent_url": {""}, "agent_device": {""}, "adapter_addr": {""}}); resp.StatusCode != 303 {
		t.Fatalf("remove: %d\n%s", resp.StatusCode, body)
	}
	if src, err := e.store.FindMTConnectSource(sys, d.ID); err != nil || src != nil {
		t.Fatalf("removed: %+v, %v", src, err)
	}
}

func TestMTConnectSourceAPI(t *testing.T) {
	e, _, mA, _ := iotEnv(t)
	d := mtDevice(t, e, mA, "2号機 MTConnect")
	e.server.MTConnectAllow = []string{"agent.example.jp", "10.0.0.5:7878"}
	tok := e.token("ownerA")
	path := "/api/v1/companies/" + itoa(e.a.ID) + "/devices/" + itoa(d.ID) + "/mtconnect"
	decode := func(body string) nakamawashi.MTConnectSource {
		t.Helper()
		var src nakamawashi.MTConnectSource
		if err := json.Unmarshal([]byte(body), &src); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return src
	}

	resp, body := e.api(tok, "GET", path, "")
	if src := decode(body); resp.StatusCode != 200 || src.DeviceID != d.ID || src.MachineID != mA.ID || src.AgentURL != "" || src.AdapterAddr != "" {
		t.Fatalf("none yet: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "PUT", path, `{"adapter_addr":"10.0.0.5:7878"}`)
	if src := decode(body); resp.StatusCode != 200 || src.AdapterAddr != "10.0.0.5:7878" || src.CompanyID != e.a.ID {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "GET", path, "")
	if src := decode(body); resp.StatusCode != 200 || src.AdapterAddr != "10.0.0.5:7878" || src.AgentURL != "" {
		t.Fatalf("round trip: %d %s", resp.StatusCode, body)
	}

	// Off the list: 400 with the field, the source as it was.
	resp, body = e.api(tok, "PUT", path, `{"adapter_addr":"10.0.0.5:7879"}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"adapter_addr"`) || !strings.Contains(body, "10.0.0.5") {
		t.Fatalf("off the list: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "PUT", path, `{"agent_url":"ftp://agent.example.jp/"}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"agent_url"`) {
		t.Fatalf("not http: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "PUT", path, `{"agent_device":"M1"}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"agent_url"`) {
		t.Fatalf("device without URL: %d %s", resp.StatusCode, body)
	}
	if resp, body = e.api(tok, "PUT", path, `{"agent_url":`); resp.StatusCode != 400 {
		t.Fatalf("malformed JSON: %d %s", resp.StatusCode, body)
	}
	if _, body = e.api(tok, "GET", path, ""); decode(body).AdapterAddr != "10.0.0.5:7878" {
		t.Fatalf("after refusals: %s", body)
	}

	// B's owner: not found.
	tokB := e.token("ownerB")
	for _, m := range [][2]string{{"GET", ""}, {"PUT", `{"agent_url":"http://agent.example.jp:5000"}`}} {
		if resp, body := e.api(tokB, m[0], path, m[1]); resp.StatusCode != 404 {
			t.Errorf("owner B %s: %d %s", m[0], resp.StatusCode, body)
		}
	}

	// Empty removes it.
	resp, body = e.api(tok, "PUT", path, `{"agent_url":"","adapter_addr":""}`)
	if src := decode(body); resp.StatusCode != 200 || src.AdapterAddr != "" || src.AgentURL != "" {
		t.Fatalf("remove: %d %s", resp.StatusCode, body)
	}
	if src, err := e.store.FindMTConnectSource(nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor), d.ID); err != nil || src != nil {
		t.Fatalf("removed: %+v, %v", src, err)
	}
}
