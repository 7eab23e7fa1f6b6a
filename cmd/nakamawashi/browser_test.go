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
func screenshot(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		dir := os.Getenv("NAKAMAWASHI_ARTIFACTS")
		if dir == "" {
			return nil
		}
		var buf []byte
		if err := chromedp.FullScreenshot(&buf, 90).Do(ctx); err != nil {
			return err
		}
		dir = filepath.Join(dir, "browser")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, t.Name()+"-"+name+".jpg"), buf, 0o644)
	})
}

func TestBrowserDemoLogin(t *testing.T) {
	ctx := browser(t)
	m, _ := MustRunServer(t, "--demo")
	url := m.HTTP.URL()

	var lang, title, htmlText string
	err := chromedp.Run(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(`#login-form`, chromedp.ByQuery),
		screenshot(t, "1-login"),
		chromedp.SendKeys(`#login-form input[name="email"]`, "coordinator@example.jp", chromedp.ByQuery),
		chromedp.SendKeys(`#login-form input[name="password"]`, demo.DefaultPassword, chromedp.ByQuery),
		chromedp.Click(`#login-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`#dashboard-title`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &lang),
		chromedp.Text(`#dashboard-title`, &title, chromedp.ByQuery),
		chromedp.Text(`body`, &htmlText, chromedp.ByQuery),
		screenshot(t, "2-dashboard-ja"),
	)
	if err != nil {
		t.Fatalf("log in as the demo coordinator: %v", err)
	}
	wantJA := nakamawashi.Localize(nakamawashi.Japanese, "ui.dashboard.title")
	if lang != "ja" || !strings.Contains(title, wantJA) {
		t.Errorf("dashboard lang = %q, title = %q; want ja, %q", lang, title, wantJA)
	}
	if !strings.Contains(htmlText, "コーディネーター") {
		t.Errorf("dashboard does not name the coordinator's role in Japanese:\n%s", htmlText)
	}

	err = chromedp.Run(ctx,
		chromedp.Click(`#lang-en`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang="en"] #dashboard-title`, chromedp.ByQuery),
		chromedp.Text(`#dashboard-title`, &title, chromedp.ByQuery),
		screenshot(t, "3-dashboard-en"),
	)
	if err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	if wantEN := nakamawashi.Localize(nakamawashi.English, "ui.dashboard.title"); !strings.Contains(title, wantEN) {
		t.Errorf("English title = %q; want %q", title, wantEN)
	}

	var loginVisible bool
	err = chromedp.Run(ctx,
		chromedp.Click(`#logout`, chromedp.ByQuery),
		chromedp.WaitVisible(`#login-form`, chromedp.ByQuery),
		chromedp.Evaluate(`!!document.querySelector('#login-form')`, &loginVisible),
		screenshot(t, "4-logged-out"),
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(`#login-form`, chromedp.ByQuery),
	)
	if err != nil || !loginVisible {
		t.Fatalf("log out: %v", err)
	}
}
