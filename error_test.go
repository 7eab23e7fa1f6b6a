package nakamawashi_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
)

func asError(err error, target **nakamawashi.Error) bool { return errors.As(err, target) }

func TestErrorCodeAndMessage(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.company.not_found"))
	if got := nakamawashi.ErrorCode(err); got != nakamawashi.ENOTFOUND {
		t.Errorf("ErrorCode = %q; want not_found", got)
	}
	if got := nakamawashi.ErrorMessage(nakamawashi.Japanese, err); got != "会社が見つかりません。" {
		t.Errorf("ErrorMessage(ja) = %q", got)
	}
	if got := nakamawashi.ErrorMessage(nakamawashi.English, err); got != "Company not found." {
		t.Errorf("ErrorMessage(en) = %q", got)
	}

	secret := errors.New("pq: password authentication failed for user root at 10.0.0.1")
	ierr := nakamawashi.Internal("sqlite.CreateCompany", secret)
	if got := nakamawashi.ErrorCode(ierr); got != nakamawashi.EINTERNAL {
		t.Errorf("ErrorCode(internal) = %q", got)
	}
	if msg := nakamawashi.ErrorMessage(nakamawashi.English, ierr); strings.Contains(msg, "password") {
		t.Errorf("internal cause leaked to the user: %q", msg)
	}
	if !errors.Is(ierr, secret) {
		t.Error("Internal lost its cause")
	}
	if nakamawashi.ErrorCode(nil) != "" || nakamawashi.ErrorCode(errors.New("x")) != nakamawashi.EINTERNAL {
		t.Error("ErrorCode of nil or plain error")
	}
}

func TestMessageCatalogComplete(t *testing.T) {
	for _, k := range nakamawashi.MessageKeys() {
		txt, _ := nakamawashi.MessageText(k)
		if txt.JA == "" || txt.EN == "" {
			t.Errorf("message %q lacks a translation: %+v", k, txt)
		}
		if strings.Count(txt.JA, "%") != strings.Count(txt.EN, "%") {
			t.Errorf("message %q has different verbs in ja and en", k)
		}
	}
	if got := nakamawashi.Localize(nakamawashi.English, "err.text_max", 100); !strings.Contains(got, "100") {
		t.Errorf("Localize with args = %q", got)
	}
}

func TestPasswordHash(t *testing.T) {
	p := nakamawashi.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	h := nakamawashi.HashPassword("correct horse battery", p)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q", h)
	}
	if h2 := nakamawashi.HashPassword("correct horse battery", p); h2 == h {
		t.Error("two hashes of one password are equal: salt missing")
	}
	if !nakamawashi.VerifyPassword(h, "correct horse battery") {
		t.Error("VerifyPassword(right) = false")
	}
	for _, bad := range []string{"correct horse batterY", "", "correct horse battery "} {
		if nakamawashi.VerifyPassword(h, bad) {
			t.Errorf("VerifyPassword(%q) = true", bad)
		}
	}
	for _, malformed := range []string{"", "$argon2id$", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if nakamawashi.VerifyPassword(malformed, "x") {
			t.Errorf("VerifyPassword(malformed %q) = true", malformed)
		}
	}
	if nakamawashi.ValidatePassword("short") == nil || nakamawashi.ValidatePassword("long enough pw") != nil {
		t.Error("ValidatePassword length rules")
	}
}

func TestTokens(t *testing.T) {
	a, b := nakamawashi.NewToken("nkm_"), nakamawashi.NewToken("nkm_")
	if a == b || !strings.HasPrefix(a, "nkm_") || len(a) < 40 {
		t.Errorf("NewToken = %q, %q", a, b)
	}
	if h := nakamawashi.HashToken(a); len(h) != 64 || h == a || h != nakamawashi.HashToken(a) {
		t.Errorf("HashToken = %q", h)
	}
}
