package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
)

// browser starts headless Chromium for a test, or skips the test unless
// NAKAMAWASHI_TEST_BROWSER is set (CI sets it).
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("NAKAMAWASHI_TEST_BROWSER") == "" {
		t.Skip("set NAKAMAWASHI_TEST_BROWSER=1 to run browser tests (needs /usr/bin/chromium)")
	}
	exec := os.Getenv("NAKAMAWASHI_CHROMIUM")
	if exec == "" {
		exec = "/usr/bin/chromium"
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exec),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// screenshot saves the page as a test artifact (never committed).
func screenshot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		dir := os.Getenv("NAKAMAWASHI_ARTIFACTS")
		if dir == "" {
			return chromedp.Void{}, nil
		}
		buf, err := chromedp.FullScreenshot(100)(ctx, target)
		if err != nil {
			return chromedp.Void{}, err
		}
		dir = filepath.Join(dir, "browser")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(dir, t.Name()+"-"+name+".png"), buf, 0o644)
	}
}

// text returns the text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func TestBrowserDemoLogin(t *testing.T) {
	ctx := browser(t)
	m, _ := MustRunServer(t, "--demo")
	url := m.HTTP.URL()

	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		screenshot(t, "1-login"),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), "coordinator@example.jp"),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), demo.DefaultPassword),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard-title`)),
		screenshot(t, "2-dashboard-ja"),
	)
	if err != nil {
		t.Fatalf("log in as the demo coordinator: %v", err)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatal(err)
	}
	title, body := text(t, ctx, `#dashboard-title`), text(t, ctx, `body`)
	name := ""
	for _, l := range demo.Logins(demo.Options{}) {
		if l.Email == "coordinator@example.jp" {
			name = l.Name
		}
	}
	wantJA := nakamawashi.Localize(nakamawashi.Japanese, "ui.dashboard.greeting", name)
	if lang != "ja" || !strings.Contains(title, wantJA) {
		t.Errorf("dashboard lang = %q, title = %q; want ja, %q", lang, title, wantJA)
	}
	if !strings.Contains(body, "コーディネーター") {
		t.Errorf("dashboard does not name the coordinator's role in Japanese:\n%s", body)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#lang-en`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #dashboard-title`)),
		screenshot(t, "3-dashboard-en"),
	)
	if err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	if title, wantEN := text(t, ctx, `#dashboard-title`), nakamawashi.Localize(nakamawashi.English, "ui.dashboard.greeting", name); !strings.Contains(title, wantEN) {
		t.Errorf("English title = %q; want %q", title, wantEN)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#logout`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		screenshot(t, "4-logged-out"),
		// The session is gone: the dashboard asks for a login again.
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
	)
	if err != nil {
		t.Fatalf("log out: %v", err)
	}
}

// login logs the browser in as a demo user and waits for the dashboard.
func login(t *testing.T, ctx context.Context, url, email string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name="password"]`), demo.DefaultPassword),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard-title`)),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", email, err)
	}
}

func TestBrowserSearchAndMatch(t *testing.T) {
	ctx := browser(t)
	m, _ := MustRunServer(t, "--demo")
	url := m.HTTP.URL()
	login(t, ctx, url, "coordinator@example.jp")

	// Search the directory for 研削 (grinding) in Japanese.
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/companies"),
		chromedp.WaitVisible(chromedp.CSS(`#company-search`)),
		chromedp.SendKeys(chromedp.CSS(`#company-search`), "研削\n"),
		chromedp.WaitVisible(chromedp.CSS(`#company-table a.company-link`)),
		screenshot(t, "1-search"),
	)
	if err != nil {
		t.Fatalf("search 研削: %v", err)
	}
	first := text(t, ctx, `#company-table a.company-link`)
	if !strings.Contains(first, "研削") && !strings.Contains(text(t, ctx, `#company-table`), "研削") {
		t.Errorf("the first hit %q and the table do not mention 研削", first)
	}

	// Open the first hit's profile.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#company-table a.company-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#profile-processes`)),
		chromedp.WaitVisible(chromedp.CSS(`#profile-machines`)),
		screenshot(t, "2-profile"),
	)
	if err != nil {
		t.Fatalf("open a profile: %v", err)
	}
	if procs := text(t, ctx, `#profile-processes`); !strings.Contains(procs, "研削") {
		t.Errorf("profile processes = %q; want a grinding process", procs)
	}

	// Run a match on the demo with the shaft example and see a chain.
	err = chromedp.Do(ctx,
		chromedp.Navigate(url+"/match"),
		chromedp.WaitVisible(chromedp.CSS(`#match-form`)),
		chromedp.Click(chromedp.CSS(`#match-example-shaft`)),
		chromedp.WaitVisible(chromedp.CSS(`#match-submit`)),
		chromedp.Click(chromedp.CSS(`#match-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#match-chains .match-chain a.chain-company`)),
		screenshot(t, "3-match"),
	)
	if err != nil {
		t.Fatalf("match the shaft example: %v", err)
	}
	if chains := text(t, ctx, `#match-chains`); !strings.Contains(chains, "円筒研削") && !strings.Contains(chains, "研削") {
		t.Errorf("the chains do not show the grinding step: %q", chains)
	}
}
