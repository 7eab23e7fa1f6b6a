package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	gohttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	main "github.com/nakamawashi/nakamawashi/cmd/nakamawashi"
	_ "modernc.org/sqlite" // to tamper with a database file as an intruder would
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newMain returns a Main isolated from the process environment, with env
// as its only NAKAMAWASHI_* variables.
func newMain(t testing.TB, env map[string]string) (*main.Main, *syncBuffer) {
	t.Helper()
	m := main.NewMain()
	out := &syncBuffer{}
	m.Stdout, m.Stderr, m.Stdin = out, out, strings.NewReader("")
	m.Getenv = func(k string) string { return env[k] }
	return m, out
}

// MustRunServer starts "serve" on a free port with a fresh data directory
// and returns the running Main; it is closed when the test ends.
func MustRunServer(t testing.TB, args ...string) (*main.Main, *syncBuffer) {
	t.Helper()
	m, out := newMain(t, nil)
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--mqtt-addr", "127.0.0.1:0", "--data", t.TempDir()}, args...)
	if err := m.Run(context.Background(), args); err != nil {
		t.Fatalf("serve: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m, out
}

func TestServeDemo(t *testing.T) {
	m, out := MustRunServer(t, "--demo")
	if !strings.Contains(out.String(), "coordinator@example.jp") {
		t.Errorf("demo logins not printed:\n%s", out)
	}
	resp, err := gohttp.Get(m.HTTP.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz = %d %s; want 200", resp.StatusCode, body)
	}
	resp, err = gohttp.Get(m.HTTP.URL() + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `lang="ja"`) {
		t.Errorf("GET /login = %d, lang ja missing", resp.StatusCode)
	}
}

func TestUserAddAndBackup(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	m, out := newMain(t, map[string]string{"NAKAMAWASHI_DATA": dir, "NAKAMAWASHI_USER_PASSWORD": "a long enough password"})
	if err := m.Run(ctx, []string{"user", "add", "--email", "ＡＤＭＩＮ@example.jp", "--name", "事務局 太郎"}); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "admin@example.jp") {
		t.Errorf("user add output = %q", out)
	}

	m, out = newMain(t, map[string]string{"NAKAMAWASHI_DATA": dir, "NAKAMAWASHI_USER_PASSWORD": "short"})
	err := m.Run(ctx, []string{"user", "add", "--email", "b@example.jp", "--name", "B"})
	if err == nil || !strings.Contains(err.Error(), "--password") {
		t.Errorf("user add with short password: err = %v; want a message naming --password", err)
	}

	backup := filepath.Join(t.TempDir(), "copy.db")
	m, out = newMain(t, map[string]string{"NAKAMAWASHI_DATA": dir})
	if err := m.Run(ctx, []string{"backup", "--to", backup}); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}

	// The copy is a database a server can open: point --data at it.
	restored := t.TempDir()
	if err := os.Rename(backup, filepath.Join(restored, "nakamawashi.db")); err != nil {
		t.Fatal(err)
	}
	m, out = newMain(t, map[string]string{"NAKAMAWASHI_DATA": restored, "NAKAMAWASHI_USER_PASSWORD": "a long enough password"})
	err = m.Run(ctx, []string{"user", "add", "--email", "admin@example.jp", "--name", "事務局 太郎"})
	if err == nil || !strings.Contains(err.Error(), "登録されています") && !strings.Contains(err.Error(), "already registered") {
		t.Errorf("restored copy lacks the user: second add err = %v", err)
	}
}

func TestConfig(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte(`{"addr": ":9999", "home_region": "日立市", "typo_key": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string // part of the error
	}{
		{"bad addr flag", nil, []string{"--addr", "8080"}, "--addr"},
		{"bad port", nil, []string{"--addr", ":99999"}, "port"},
		{"bad env", map[string]string{"NAKAMAWASHI_ADDR": "nope"}, nil, "--addr"},
		{"bad bool env", map[string]string{"NAKAMAWASHI_DEMO": "maybe"}, nil, "NAKAMAWASHI_DEMO"},
		{"bad log level", nil, []string{"--log-level", "loud"}, "--log-level"},
		{"bad dsn", nil, []string{"--db", "mysql://x"}, "--db"},
		{"unknown key in file", nil, []string{"--config", file}, "typo_key"},
		{"unknown flag", nil, []string{"--nope"}, "nope"},
		{"stray argument", nil, []string{"extra"}, "extra"},
	} {
		m, _ := newMain(t, tt.env)
		err := m.Run(ctx, append([]string{"serve", "--data", t.TempDir()}, tt.args...))
		if err == nil {
			m.Close()
			t.Errorf("%s: err = nil; want one naming %q", tt.name, tt.want)
		} else if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v; want one naming %q", tt.name, err, tt.want)
		}
	}

	// Precedence: file < environment < flags.
	good := filepath.Join(t.TempDir(), "good.json")
	os.WriteFile(good, []byte(`{"home_region": "日立市", "network_name": "ファイル", "log_level": "warn"}`), 0o600)
	m, out := newMain(t, map[string]string{"NAKAMAWASHI_NETWORK_NAME": "環境"})
	if err := m.Run(ctx, []string{"serve", "--config", good, "--addr", "127.0.0.1:0", "--mqtt-addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "error"}); err != nil {
		t.Fatalf("serve: %v\n%s", err, out)
	}
	defer m.Close()
	if c := m.Config; c.HomeRegion != "日立市" || c.NetworkName != "環境" || c.LogLevel != "error" {
		t.Errorf("config = %+v; want file's region, env's name, flag's level", c)
	}
}

func TestVersionAndUsage(t *testing.T) {
	m, out := newMain(t, nil)
	if err := m.Run(context.Background(), []string{"version"}); err != nil || !strings.HasPrefix(out.String(), "nakamawashi ") {
		t.Errorf("version: %v %q", err, out)
	}
	m, _ = newMain(t, nil)
	if err := m.Run(context.Background(), []string{"frobnicate"}); err == nil {
		t.Error("unknown command: err = nil")
	}
}

func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	env := map[string]string{"NAKAMAWASHI_DATA": dir, "NAKAMAWASHI_USER_PASSWORD": "a long enough password"}
	m, out := newMain(t, env)
	if err := m.Run(ctx, []string{"user", "add", "--email", "a@example.jp", "--name", "A"}); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	m, out = newMain(t, env)
	if err := m.Run(ctx, []string{"audit", "verify"}); err != nil || !strings.Contains(out.String(), "audit chain OK: 1 events") {
		t.Fatalf("audit verify = %v, %q; want OK with 1 event", err, out)
	}

	// Someone with write access to the file rewrites history.
	db, err := sql.Open("sqlite", filepath.Join(dir, "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER IF EXISTS audit_events_no_update`, `UPDATE audit_events SET actor_name = 'someone else' WHERE id = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	m, out = newMain(t, env)
	err = m.Run(ctx, []string{"audit", "verify", "--json"})
	if !errors.Is(err, main.ErrAuditBroken) || !strings.Contains(out.String(), `"broken_at":1`) {
		t.Errorf("audit verify after tampering = %v, %q; want broken at 1", err, out)
	}
}
