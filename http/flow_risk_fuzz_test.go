package http_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	nkmhttp "github.com/nakamawashi/nakamawashi/http"
)

func FuzzFormMachineID(f *testing.F) {
	for _, s := range []string{"", " ", "1", " 12 ", "0", "-1", "01", "二号機", "9223372036854775807", "9223372036854775808",
		"1e3", "0x10", "１２", "\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		id, err := nkmhttp.FormMachineID(v)
		if err != nil {
			wantClientError(t, "machine", err)
			if id != 0 {
				t.Fatalf("%q: refused yet read as %d", v, id)
			}
			return
		}
		if strings.TrimSpace(v) == "" {
			if id != 0 {
				t.Fatalf("%q: read as %d, want none", v, id)
			}
			return
		}
		if id <= 0 || strconv.FormatInt(id, 10) != strings.TrimSpace(v) {
			t.Fatalf("%q: read as %d", v, id)
		}
	})
}

func FuzzQueryAtRisk(f *testing.F) {
	for _, s := range []string{"", "at_risk=1", "at_risk=true", "at_risk=0", "at_risk=false", "at_risk=yes", "at_risk=",
		"at_risk=1&at_risk=0", "at_risk=%ff", "at_risk=TRUE", "status=in_progress&at_risk=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, err := nkmhttp.QueryAtRisk(q)
		if err != nil {
			wantClientError(t, "at_risk", err)
			return
		}
		v, _ := url.ParseQuery(q)
		if want := v.Get("at_risk") == "1" || v.Get("at_risk") == "true"; got != want {
			t.Fatalf("%q: read as %v", q, got)
		}
	})
}
