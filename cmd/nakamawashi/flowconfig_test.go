package main_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	main "github.com/nakamawashi/nakamawashi/cmd/nakamawashi"
)

func TestFlowConfig(t *testing.T) {
	c := main.DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if f := c.Fees(); f != nakamawashi.DefaultFees {
		t.Errorf("default fees %+v, want %+v", f, nakamawashi.DefaultFees)
	}
	env := map[string]string{
		"NAKAMAWASHI_COMMISSION_PERCENT": "12.5",
		"NAKAMAWASHI_USAGE_FEE_YEN":      "5000",
		"NAKAMAWASHI_TAX_ROUNDING":       "half_up",
	}
	if err := c.LoadEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.RegisterFlags(fs)
	if err := fs.Parse([]string{"--price-round-yen", "100", "--base-url", "https://n.example.jp"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	f := c.Fees()
	if f.CommissionPercent != 12.5 || f.UsageFeeYen != 5000 || f.RoundTo != 100 {
		t.Errorf("fees %+v: environment and flags not applied", f)
	}
	if c.Settings().Rounding != nakamawashi.RoundHalfUp {
		t.Errorf("rounding %q", c.Settings().Rounding)
	}

	if err := c.LoadEnv(func(k string) string {
		if k == "NAKAMAWASHI_USAGE_FEE_YEN" {
			return "三千"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "NAKAMAWASHI_USAGE_FEE_YEN") {
		t.Errorf("a word for a number: %v", err)
	}

	bad := main.DefaultConfig()
	bad.CommissionPercent = 150
	bad.TaxRounding = "round"
	bad.BaseURL = "ftp://x"
	bad.SMTPAddr = "smtp.example.jp"
	bad.PriceRoundYen = 7
	err := bad.Validate()
	for _, want := range []string{"--commission-percent", "--tax-rounding", "--base-url", "--smtp-addr", "--price-round-yen"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("no problem named %s in %v", want, err)
		}
	}
}
