package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/live"
)

// iotNow is the boards' clock in these tests: a Wednesday, 10:00 in Japan.
var iotNow = time.Date(2026, 4, 1, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

// iotEnv is newEnv with a hub, a fixed clock and a lathe at A and at B.
func iotEnv(t *testing.T) (*env, *live.Hub, *nakamawashi.Machine, *nakamawashi.Machine) {
	e := newEnv(t)
	hub := live.NewHub()
	e.server.Live = hub
	e.server.MQTTAddr = "mqtt.example.jp:1883"
	e.server.Now = func() time.Time { return iotNow }
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	lathe := func(c *nakamawashi.Company) *nakamawashi.Machine {
		m := &nakamawashi.Machine{CompanyID: c.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 EXII", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := e.store.CreateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	return e, hub, lathe(e.a), lathe(e.b)
}

func appendStates(t *testing.T, st live.Store[nakamawashi.Store], ivs ...nakamawashi.StateInterval) {
	t.Helper()
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	if err := st.AppendStateIntervals(sys, ivs); err != nil {
		t.Fatal(err)
	}
}

var secretRE = regexp.MustCompile(`id="mqtt-secret">(nkd_[^<]+)<`)

func TestIoTDevicePages(t *testing.T) {
	e, _, mA, mB := iotEnv(t)
	c := e.client()
	c.login("ownerA")
	base := "/companies/" + itoa(e.a.ID) + "/devices"
	resp, body := c.get(base)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="device-form"`) || !strings.Contains(body, `id="sharing-status" checked`) {
		t.Fatalf("device page: %d\n%s", resp.StatusCode, body)
	}

	// A name is required; the machine must be A's.
	resp, body = c.post(base, url.Values{"name": {""}, "kind": {"stacklight"}, "machine_id": {itoa(mA.ID)}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-name"`) {
		t.Fatalf("no name: %d", resp.StatusCode)
	}
	resp, body = c.post(base, url.Values{"name": {"B の機械"}, "kind": {"stacklight"}, "machine_id": {itoa(mB.ID)}})
	if resp.StatusCode != 400 || !strings.Contains(body, `id="error-machine_id"`) {
		t.Fatalf("B's machine: %d", resp.StatusCode)
	}

	resp, body = c.post(base, url.Values{"name": {"1号機 信号灯"}, "kind": {"stacklight"}, "machine_id": {itoa(mA.ID)}})
	m := secretRE.FindStringSubmatch(body)
	if resp.StatusCode != 201 || m == nil {
		t.Fatalf("register: %d\n%s", resp.StatusCode, body)
	}
	secret := m[1]
	topic := "nakamawashi/v1/c" + itoa(e.a.ID) + "/m" + itoa(mA.ID) + "/state"
	for _, want := range []string{`id="mqtt-host">mqtt.example.jp<`, `id="mqtt-port">1883<`, topic, "mosquitto_pub -h mqtt.example.jp -p 1883 -u d-c" + itoa(e.a.ID) + "-"} {
		if !strings.Contains(body, want) {
			t.Errorf("credentials page lacks %q", want)
		}
	}
	ds, err := e.store.FindDevices(nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor), e.a.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("devices: %v %v", ds, err)
	}
	d := ds[0]
	if _, err := e.store.AuthenticateDevice(context.Background(), d.Username, secret); err != nil {
		t.Fatalf("the shown secret does not log in: %v", err)
	}
	// Shown once: the list no longer has it.
	_, body = c.get(base)
	if strings.Contains(body, secret) || !strings.Contains(body, d.Username) {
		t.Fatal("the list shows the secret, or not the device")
	}

	dpath := base + "/" + itoa(d.ID)
	resp, body = c.post(dpath+"/rotate", nil)
	m = secretRE.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || m[1] == secret {
		t.Fatalf("rotate: %d", resp.StatusCode)
	}
	if _, err := e.store.AuthenticateDevice(context.Background(), d.Username, secret); err == nil {
		t.Fatal("the old secret still logs in")
	}
	if resp, _ = c.post(dpath+"/disable", nil); resp.StatusCode != 303 {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	_, body = c.get(base + "?ok=disabled")
	if !strings.Contains(body, `id="device-enable-`+itoa(d.ID)+`"`) {
		t.Fatal("a disabled device has no enable button")
	}
	resp, body = c.post(dpath+"/enable", nil)
	if m = secretRE.FindStringSubmatch(body); resp.StatusCode != 200 || m == nil {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	if _, err := e.store.AuthenticateDevice(context.Background(), d.Username, m[1]); err != nil {
		t.Fatalf("the enabled device's secret: %v", err)
	}
	if resp, _ = c.post(base[:strings.LastIndex(base, "/")]+"/sharing", url.Values{"sharing": {"everything"}}); resp.StatusCode != 400 {
		t.Fatalf("unknown sharing: %d", resp.StatusCode)
	}
	if resp, _ = c.post(dpath+"/delete", nil); resp.StatusCode != 303 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, body = c.get(base); strings.Contains(body, d.Username) {
		t.Fatal("a deleted device is still listed")
	}

	// Another company's devices are not there, for its staff neither.
	for _, key := range []string{"ownerB", "staffA", "customer"} {
		o := e.client()
		o.login(key)
		if resp, _ := o.get(base); resp.StatusCode != 404 {
			t.Errorf("%s: A's devices: %d, want 404", key, resp.StatusCode)
		}
	}
}

func TestIoTDeviceAPI(t *testing.T) {
	e, _, mA, _ := iotEnv(t)
	tok := e.token("ownerA")
	base := "/api/v1/companies/" + itoa(e.a.ID) + "/devices"
	resp, body := e.api(tok, "POST", base, `{"name":"1号機 信号灯","kind":"stacklight","machine_id":`+itoa(mA.ID)+`}`)
	var cred struct {
		Device    nakamawashi.Device `json:"device"`
		Secret    string             `json:"secret"`
		Host      string             `json:"host"`
		Port      int                `json:"port"`
		Publish   []string           `json:"publish"`
		Subscribe []string           `json:"subscribe"`
		Example   string             `json:"example"`
	}
	if resp.StatusCode != 201 || json.Unmarshal([]byte(body), &cred) != nil || !strings.HasPrefix(cred.Secret, "nkd_") ||
		cred.Port != 1883 || len(cred.Publish) != 4 || !strings.HasSuffix(cred.Subscribe[0], "/cmd") || !strings.Contains(cred.Example, cred.Secret) {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if resp, body = e.api(tok, "POST", base, `{"name":"x","kind":"toaster","machine_id":`+itoa(mA.ID)+`}`); resp.StatusCode != 400 || decodeError(t, body).Error.Fields["kind"] == "" {
		t.Fatalf("bad kind: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api(tok, "GET", base, "")
	if resp.StatusCode != 200 || !strings.Contains(body, cred.Device.Username) || strings.Contains(body, cred.Secret) || !strings.Contains(body, `"online":false`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	dpath := base + "/" + itoa(cred.Device.ID)
	if resp, body = e.api(tok, "POST", dpath+"/rotate-secret", ""); resp.StatusCode != 200 || strings.Contains(body, cred.Secret) {
		t.Fatalf("rotate: %d", resp.StatusCode)
	}
	if resp, _ = e.api(tok, "POST", dpath+"/disable", ""); resp.StatusCode != 200 {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, _ = e.api(tok, "POST", dpath+"/rotate-secret", ""); resp.StatusCode != 409 {
		t.Fatalf("rotate a disabled device: %d, want 409", resp.StatusCode)
	}
	if resp, _ = e.api(tok, "POST", dpath+"/enable", ""); resp.StatusCode != 200 {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	if resp, _ = e.api(tok, "POST", dpath+"/enable", ""); resp.StatusCode != 409 {
		t.Fatalf("enable an enabled device: %d, want 409", resp.StatusCode)
	}
	// B's owner: A's devices are not found, whatever the route.
	tokB := e.token("ownerB")
	for _, c := range [][2]string{{"GET", base}, {"POST", dpath + "/disable"}, {"DELETE", dpath}} {
		if resp, body := e.api(tokB, c[0], c[1], ""); resp.StatusCode != 404 {
			t.Errorf("owner B %s %s: %d %s", c[0], c[1], resp.StatusCode, body)
		}
	}
	if resp, _ = e.api(tok, "DELETE", dpath, ""); resp.StatusCode != 204 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}

	// Sharing: read by those who read the company, set by its owner.
	sh := "/api/v1/companies/" + itoa(e.a.ID) + "/telemetry-sharing"
	if resp, body = e.api(tokB, "GET", sh, ""); resp.StatusCode != 200 || !strings.Contains(body, `"status"`) {
		t.Fatalf("sharing default: %d %s", resp.StatusCode, body)
	}
	if resp, _ = e.api(tokB, "PUT", sh, `{"sharing":"none"}`); resp.StatusCode != 404 {
		t.Fatalf("B sets A's sharing: %d", resp.StatusCode)
	}
	if resp, body = e.api(tok, "PUT", sh, `{"sharing":"all"}`); resp.StatusCode != 400 {
		t.Fatalf("bad sharing: %d %s", resp.StatusCode, body)
	}
	if resp, _ = e.api(tok, "PUT", sh, `{"sharing":"utilization"}`); resp.StatusCode != 200 {
		t.Fatalf("set sharing: %d", resp.StatusCode)
	}
}

// TestIoTSharing: what B and the customer see of A's machines at each of
// A's choices.
func TestIoTSharing(t *testing.T) {
	e, hub, mA, mB := iotEnv(t)
	st := live.Store[nakamawashi.Store]{S: e.store, Hub: hub}
	day := iotNow.Add(-90 * time.Minute) // 8:30
	appendStates(t, st, nakamawashi.StateInterval{MachineID: mA.ID, State: "running", Start: day},
		nakamawashi.StateInterval{MachineID: mB.ID, State: "alarm", Start: day.Add(time.Hour)})
	ctxA := nakamawashi.NewContextWithActor(context.Background(), &nakamawashi.Actor{UserID: e.users["ownerA"].ID, CompanyID: e.a.ID, Role: nakamawashi.RoleOwner, CompanyKind: nakamawashi.KindMember})
	tokB, tokC, tokAdmin := e.token("ownerB"), e.token("customer"), e.token("admin")
	board := func(tok string) (int, map[int64]map[string]any) {
		resp, body := e.api(tok, "GET", "/api/v1/board", "")
		var b struct {
			Machines []map[string]any `json:"machines"`
		}
		json.Unmarshal([]byte(body), &b)
		out := map[int64]map[string]any{}
		for _, m := range b.Machines {
			out[int64(m["id"].(float64))] = m
		}
		return resp.StatusCode, out
	}
	for _, tt := range []struct {
		sharing             nakamawashi.TelemetrySharing
		bSees, bSeesUtil    bool
		dayStatusForB       int
		companyBoardStatusB int
	}{
		{nakamawashi.ShareStatus, true, false, 404, 200},
		{nakamawashi.ShareUtilization, true, true, 200, 200},
		{nakamawashi.ShareNothing, false, false, 404, 200},
	} {
		if err := e.store.SetTelemetrySharing(ctxA, e.a.ID, tt.sharing); err != nil {
			t.Fatal(err)
		}
		status, ms := board(tokB)
		a, seen := ms[mA.ID]
		_, util := a["utilization"]
		if status != 200 || seen != tt.bSees || util != tt.bSeesUtil || ms[mB.ID]["utilization"] == nil {
			t.Errorf("%s: B's network board: %d, A seen %v, utilization %v: %v", tt.sharing, status, seen, util, ms)
		}
		if seen && a["state"] != "running" {
			t.Errorf("%s: A's machine: %v", tt.sharing, a)
		}
		if resp, _ := e.api(tokB, "GET", "/api/v1/machines/"+itoa(mA.ID)+"/day?date=2026-04-01", ""); resp.StatusCode != tt.dayStatusForB {
			t.Errorf("%s: B reads A's day: %d, want %d", tt.sharing, resp.StatusCode, tt.dayStatusForB)
		}
		// The office always sees everything.
		_, ms = board(tokAdmin)
		if ms[mA.ID]["utilization"] == nil {
			t.Errorf("%s: the office does not see A's utilization", tt.sharing)
		}
		// A customer sees no board at all.
		if status, _ := board(tokC); status != 403 {
			t.Errorf("%s: customer's network board: %d", tt.sharing, status)
		}
		if resp, _ := e.api(tokC, "GET", "/api/v1/companies/"+itoa(e.a.ID)+"/board", ""); resp.StatusCode != 404 {
			t.Errorf("%s: customer reads A's board: %d", tt.sharing, resp.StatusCode)
		}
	}
	// A's own day: the bands, the totals and 稼働率.
	c := e.client()
	c.login("ownerA")
	resp, body := c.get("/machines/" + itoa(mA.ID) + "/day?date=2026-04-01")
	if resp.StatusCode != 200 || !strings.Contains(body, `class="band st-running"`) || !strings.Contains(body, `id="legend-running"`) ||
		!strings.Contains(body, "1:30") || !strings.Contains(body, `id="scan-table"`) {
		t.Fatalf("day page: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := c.get("/machines/" + itoa(mA.ID) + "/day?date=2026-13-01"); resp.StatusCode != 400 {
		t.Fatalf("bad date: %d", resp.StatusCode)
	}
	resp, body = c.get("/companies/" + itoa(e.a.ID) + "/board")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="machine-`+itoa(mA.ID)+`"`) || !strings.Contains(body, "board.js") {
		t.Fatalf("board page: %d\n%s", resp.StatusCode, body)
	}
}

// sseEvent is one event read from a stream.
type sseEvent struct{ name, id, data string }

// readEvents reads a stream's events into a channel until it ends.
func readEvents(body *bufio.Reader) <-chan sseEvent {
	ch := make(chan sseEvent, 16)
	go func() {
		defer close(ch)
		var ev sseEvent
		for {
			line, err := body.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if ev.name != "" {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "data: "):
				ev.data += line[6:]
			}
		}
	}()
	return ch
}

// TestIoTBoardEvents: a board's stream sends a snapshot, then the row of a
// machine whose state the ingest committed, within the two seconds a board
// promises (measured; asserted with a generous deadline); a reconnect with
// Last-Event-ID gets what changed meanwhile.
func TestIoTBoardEvents(t *testing.T) {
	e, hub, mA, mB := iotEnv(t)
	st := live.Store[nakamawashi.Store]{S: e.store, Hub: hub}
	c := e.client()
	c.login("ownerA")
	open := func(path, lastID string) (*http.Response, <-chan sseEvent, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+path, nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); resp.Body.Close() })
		return resp, readEvents(bufio.NewReader(resp.Body)), cancel
	}
	next := func(ch <-chan sseEvent, within time.Duration) sseEvent {
		t.Helper()
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("the stream ended")
			}
			return ev
		case <-time.After(within):
			t.Fatalf("no event within %v", within)
		}
		return sseEvent{}
	}
	path := "/companies/" + itoa(e.a.ID) + "/board/events"
	resp, events, cancel := open(path, "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	snap := next(events, 5*time.Second)
	if snap.name != "snapshot" || !strings.Contains(snap.data, `machine-`+itoa(mA.ID)) || !strings.Contains(snap.data, "st-unknown") {
		t.Fatalf("first event: %+v", snap)
	}

	start := time.Now()
	appendStates(t, st, nakamawashi.StateInterval{MachineID: mA.ID, State: "running", Start: iotNow.Add(-time.Minute)})
	ev := next(events, 10*time.Second)
	latency := time.Since(start)
	t.Logf("commit → event: %v", latency)
	if ev.name != "rows" || !strings.Contains(ev.data, "st-running") || ev.id == "" {
		t.Fatalf("after the commit: %+v", ev)
	}
	// Another shop's machine changes nothing on A's board.
	appendStates(t, st, nakamawashi.StateInterval{MachineID: mB.ID, State: "alarm", Start: iotNow.Add(-time.Minute)})
	select {
	case ev := <-events:
		t.Fatalf("B's change reached A's board: %+v", ev)
	case <-time.After(500 * time.Millisecond):
	}
	cancel()

	// Reconnect: the alarm that came meanwhile, without a snapshot.
	appendStates(t, st, nakamawashi.StateInterval{MachineID: mA.ID, State: "alarm", Start: iotNow.Add(-30 * time.Second)})
	_, events, _ = open(path, ev.id)
	if ev := next(events, 5*time.Second); ev.name != "rows" || !strings.Contains(ev.data, "st-alarm") {
		t.Fatalf("reconnect: %+v", ev)
	}
	// An id the hub does not know: a snapshot.
	_, events, _ = open(path, "other-7")
	if ev := next(events, 5*time.Second); ev.name != "snapshot" || !strings.Contains(ev.data, "st-alarm") {
		t.Fatalf("reconnect with an unknown id: %+v", ev)
	}

	// The network board hears of B as well; ?once=1 ends after the snapshot.
	resp, body := c.get("/board/events?once=1")
	if resp.StatusCode != 200 || !strings.Contains(body, "event: snapshot") || !strings.Contains(body, "machine-"+itoa(mB.ID)) {
		t.Fatalf("network board once: %d %s", resp.StatusCode, body)
	}
	// Refused before the stream starts.
	o := e.client()
	o.login("customer")
	if resp, _ := o.get(path + "?once=1"); resp.StatusCode != 404 {
		t.Fatalf("customer's stream of A: %d", resp.StatusCode)
	}
}
