package main

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mail"
)

// FlowConfig holds the settings of the order flow: where drawings are
// kept, the network's fees, what documents print, and the mail server for
// notifications.
type FlowConfig struct {
	Files             string  `json:"files"`              // drawings; empty: <data>/blobs
	BaseURL           string  `json:"base_url"`           // the public URL, for QR codes and mail links
	CommissionPercent float64 `json:"commission_percent"` // on partner prices and transport
	UsageFeeYen       int64   `json:"usage_fee_yen"`      // per quote
	MembershipFeeYen  int64   `json:"membership_fee_yen"` // per member per month
	PriceRoundYen     int64   `json:"price_round_yen"`    // unit prices round up to 1, 10 or 100 yen
	TaxRounding       string  `json:"tax_rounding"`       // floor, ceil or half_up, once per rate per invoice
	PaymentMethod     string  `json:"payment_method"`     // printed on 注文書
	Bank              string  `json:"bank"`               // printed on invoices (お振込先)
	SMTPAddr          string  `json:"smtp_addr"`          // host:port; empty: no email
	SMTPFrom          string  `json:"smtp_from"`
	SMTPUsername      string  `json:"smtp_username"`
	SMTPPassword      string  `json:"smtp_password"`
}

// DefaultFlowConfig returns the order flow's defaults.
func DefaultFlowConfig() FlowConfig {
	f := nakamawashi.DefaultFees
	return FlowConfig{
		CommissionPercent: f.CommissionPercent,
		UsageFeeYen:       f.UsageFeeYen,
		MembershipFeeYen:  f.MembershipFeeYen,
		PriceRoundYen:     f.RoundTo,
		TaxRounding:       string(nakamawashi.RoundFloor),
		PaymentMethod:     nakamawashi.DefaultPaymentMethod,
	}
}

type floatValue struct{ p *float64 }

func (v floatValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'f', -1, 64)
}

func (v floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("want a number")
	}
	*v.p = f
	return nil
}

type intValue struct{ p *int64 }

func (v intValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatInt(*v.p, 10)
}

func (v intValue) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("want a whole number")
	}
	*v.p = n
	return nil
}

func (c *FlowConfig) settings() []setting {
	return []setting{
		{name: "files", usage: "directory for drawings (content-addressed); empty: blobs/ in the data directory", str: &c.Files},
		{name: "base-url", usage: "the public URL of the server, for traveler QR codes and mail links (e.g. https://nakamawashi.example.jp)", str: &c.BaseURL},
		{name: "commission-percent", usage: "the network's commission on partner prices and transport, in percent", val: floatValue{&c.CommissionPercent}},
		{name: "usage-fee-yen", usage: "the network's usage fee per quote, in yen", val: intValue{&c.UsageFeeYen}},
		{name: "membership-fee-yen", usage: "the monthly membership fee per member company, in yen", val: intValue{&c.MembershipFeeYen}},
		{name: "price-round-yen", usage: "round customer unit prices up to 1, 10 or 100 yen", val: intValue{&c.PriceRoundYen}},
		{name: "tax-rounding", usage: "consumption tax rounding, once per rate per invoice: floor, ceil or half_up", str: &c.TaxRounding},
		{name: "payment-method", usage: "the payment method printed on purchase orders to shops", str: &c.PaymentMethod},
		{name: "bank", usage: "the bank account printed on invoices (お振込先)", str: &c.Bank},
		{name: "smtp-addr", usage: "SMTP server (host:port) for notification emails; empty sends none", str: &c.SMTPAddr},
		{name: "smtp-from", usage: "sender address of notification emails", str: &c.SMTPFrom},
		{name: "smtp-username", usage: "SMTP user for PLAIN authentication", str: &c.SMTPUsername},
		{name: "smtp-password", usage: "SMTP password (prefer the environment variable)", str: &c.SMTPPassword},
	}
}

// Fees returns the network's fees.
func (c *FlowConfig) Fees() nakamawashi.Fees {
	return nakamawashi.Fees{CommissionPercent: c.CommissionPercent, UsageFeeYen: c.UsageFeeYen,
		MembershipFeeYen: c.MembershipFeeYen, RoundTo: c.PriceRoundYen}
}

// Settings returns the store's order-flow settings.
func (c *FlowConfig) Settings() nakamawashi.FlowSettings {
	return nakamawashi.FlowSettings{Rounding: nakamawashi.TaxRounding(c.TaxRounding), PaymentMethod: c.PaymentMethod, Bank: c.Bank}
}

// FilesDir returns the directory of drawings.
func (c *FlowConfig) FilesDir(data string) string {
	if c.Files != "" {
		return c.Files
	}
	return filepath.Join(data, "blobs")
}

// Mail returns the mail settings, and false when no server is configured.
func (c *FlowConfig) Mail() (mail.Config, bool) {
	if c.SMTPAddr == "" {
		return mail.Config{}, false
	}
	return mail.Config{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUsername, Password: c.SMTPPassword, BaseURL: c.BaseURL}, true
}

func (c *FlowConfig) problems() []string {
	var out []string
	fees := c.Fees()
	if err := fees.Validate(); err != nil {
		var e *nakamawashi.Error
		if errors.As(err, &e) {
			for f, m := range e.Fields {
				out = append(out, fmt.Sprintf("--%s: %s", feeFlag[f], m.In(nakamawashi.English)))
			}
		}
	}
	if !nakamawashi.TaxRounding(c.TaxRounding).Valid() {
		out = append(out, fmt.Sprintf("--tax-rounding %q: want floor, ceil or half_up", c.TaxRounding))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			out = append(out, fmt.Sprintf("--base-url %q: want an http or https URL such as https://nakamawashi.example.jp", c.BaseURL))
		}
	}
	if m, ok := c.Mail(); ok {
		if err := m.Validate(); err != nil {
			out = append(out, "--smtp-addr/--smtp-from: "+err.Error())
		}
	}
	return out
}

var feeFlag = map[string]string{
	"commission_percent": "commission-percent", "usage_fee_yen": "usage-fee-yen",
	"membership_fee_yen": "membership-fee-yen", "round_to": "price-round-yen",
}
