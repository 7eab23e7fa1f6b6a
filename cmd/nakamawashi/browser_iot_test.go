package main_test

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nakamawashi/nakamawashi"
)

// TestBrowserIoTBoard: the demo owner registers a stack light on a new
// machine and copies its settings from the page; mosquitto_pub publishes a
// state with them to the server's embedded broker; the board open in the
// browser turns that machine red without a reload.
func TestBrowserIoTBoard(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("mosquitto_pub"); err != nil {
		t.Skip("mosquitto_pub not installed (Debian mosquitto-clients)")
	}
	m, _ := MustRunServer(t, "--demo")
	url := m.HTTP.URL()
	login(t, ctx, url, "owner@example.jp")
	href := eval(t, ctx, `document.querySelector('#nav-members').getAttribute('href')`)
	companyID, err := strconv.ParseInt(strings.Split(href, "/")[2], 10, 64)
	if err != nil {
		t.Fatalf("company of the owner from %q: %v", href, err)
	}
	// A machine of its own, which the demo's simulated devices leave alone.
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	mc := &nakamawashi.Machine{CompanyID: companyID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 試験機", Count: 1,
		Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 300, L: 500}, Axes: 2}
	if err := m.Store.CreateMachine(sys, mc); err != nil {
		t.Fatal(err)
	}
	mid := strconv.FormatInt(mc.ID, 10)

	step(t, ctx, "register a device",
		chromedp.Navigate(url+"/companies/"+strconv.FormatInt(companyID, 10)+"/devices"),
		chromedp.WaitVisible(chromedp.CSS(`#device-form`)),
		chromedp.SendKeys(chromedp.CSS(`#device-name`), "試験機 信号灯"),
		chromedp.SetValue(chromedp.CSS(`#device-machine`), mid),
		chromedp.SetValue(chromedp.CSS(`#device-kind`), "stacklight"),
		chromedp.Click(chromedp.CSS(`#device-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#device-issued`)),
		screenshot(t, "1-device-issued"),
	)
	host, port := text(t, ctx, `#mqtt-host`), text(t, ctx, `#mqtt-port`)
	user, secret := text(t, ctx, `#mqtt-username`), text(t, ctx, `#mqtt-secret`)
	topic := text(t, ctx, `#mqtt-publish li:first-child code`)
	if !strings.HasSuffix(topic, "/m"+mid+"/state") || !strings.HasPrefix(secret, "nkd_") {
		t.Fatalf("settings: topic %q, secret %q", topic, secret)
	}

	row := `#machine-` + mid
	step(t, ctx, "open the board",
		chromedp.Navigate(url+"/companies/"+strconv.FormatInt(companyID, 10)+"/board"),
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.WaitVisible(chromedp.CSS(`#board-live.live-on`)),
	)
	eval(t, ctx, `window.nakamawashiMarker = "same page"; "ok"`)
	// The device stays connected (-l: a message per line of its input), as
	// a stack light does: a connection that ends without a will turns its
	// machine off.
	start := time.Now()
	pub := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-u", user, "-P", secret, "-i", user, "-q", "1", "-t", topic, "-l")
	stdin, err := pub.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	pub.Stdout, pub.Stderr = &out, &out
	if err := pub.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		if err := pub.Wait(); err != nil {
			t.Errorf("mosquitto_pub: %v\n%s", err, out.String())
		}
	}()
	if _, err := stdin.Write([]byte(`{"state":"alarm"}` + "\n")); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "the board turns red",
		chromedp.WaitVisible(chromedp.CSS(row+`.st-alarm`)),
		screenshot(t, "2-board-alarm"),
	)
	t.Logf("board changed %v after mosquitto_pub started", time.Since(start))
	if got := eval(t, ctx, `window.nakamawashiMarker || "reloaded"`); got != "same page" {
		t.Fatal("the page was reloaded")
	}
	colour := eval(t, ctx, `getComputedStyle(document.querySelector('`+row+`')).backgroundColor`)
	if colour != "rgb(217, 48, 37)" {
		t.Errorf("alarm colour: %s", colour)
	}
}
