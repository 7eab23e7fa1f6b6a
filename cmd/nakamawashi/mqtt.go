package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/http"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/live"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// MQTTConfig holds the settings of the devices' broker: the embedded one,
// or an external one (--mqtt-broker) that nakamawashi subscribes to.
type MQTTConfig struct {
	MQTTAddr     string `json:"mqtt_addr"`     // the embedded broker's TCP address; "off" for none
	MQTTWSAddr   string `json:"mqtt_ws_addr"`  // MQTT over WebSocket, optional
	MQTTTLSAddr  string `json:"mqtt_tls_addr"` // MQTT over TLS, optional, with the two below
	MQTTTLSCert  string `json:"mqtt_tls_cert"`
	MQTTTLSKey   string `json:"mqtt_tls_key"`
	MQTTBroker   string `json:"mqtt_broker"` // external mode: tcp://host:1883
	MQTTUsername string `json:"mqtt_username"`
	MQTTPassword string `json:"mqtt_password"`
	// MTConnectAllow lists the hosts (host or host:port, comma-separated)
	// whose MTConnect agents and adapters serve may read; empty: none.
	MTConnectAllow string `json:"mtconnect_allow"`
}

// DefaultMQTTConfig returns the broker's defaults: embedded, on :1883.
func DefaultMQTTConfig() MQTTConfig { return MQTTConfig{MQTTAddr: mqtt.DefaultAddr} }

func (c *MQTTConfig) settings() []setting {
	return []setting{
		{name: "mqtt-addr", usage: "the embedded MQTT broker's address (host:port; :0 picks a free port; off: no broker)", str: &c.MQTTAddr},
		{name: "mqtt-ws-addr", usage: "also serve MQTT over WebSocket on this address (optional)", str: &c.MQTTWSAddr},
		{name: "mqtt-tls-addr", usage: "also serve MQTT over TLS on this address, e.g. :8883 (needs --mqtt-tls-cert and --mqtt-tls-key)", str: &c.MQTTTLSAddr},
		{name: "mqtt-tls-cert", usage: "the TLS certificate (PEM file) of --mqtt-tls-addr", str: &c.MQTTTLSCert},
		{name: "mqtt-tls-key", usage: "the TLS key (PEM file) of --mqtt-tls-addr", str: &c.MQTTTLSKey},
		{name: "mqtt-broker", usage: "external mode: receive from this MQTT broker (tcp://host:1883 or mqtts://host:8883) instead of embedding one", str: &c.MQTTBroker},
		{name: "mqtt-username", usage: "external mode: nakamawashi's user name at the broker", str: &c.MQTTUsername},
		{name: "mqtt-password", usage: "external mode: nakamawashi's password at the broker (prefer the environment)", str: &c.MQTTPassword},
		{name: "mtconnect-allow", usage: "hosts (host or host:port, comma-separated) whose MTConnect agents and adapters may be read; empty: none", str: &c.MTConnectAllow},
	}
}

// mtconnectAllow returns the allow-list of MTConnect hosts.
func (c *MQTTConfig) mtconnectAllow() []string {
	var out []string
	for _, h := range strings.Split(c.MTConnectAllow, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// problems checks the MQTT settings, saying how to fix each.
func (c *MQTTConfig) problems() []string {
	var out []string
	addr := func(flag, v string) {
		if v == "" {
			return
		}
		if _, port, err := net.SplitHostPort(v); err != nil {
			out = append(out, fmt.Sprintf("--%s %q: want host:port, e.g. :1883 or 127.0.0.1:1884", flag, v))
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			out = append(out, fmt.Sprintf("--%s %q: the port must be a number from 0 to 65535", flag, v))
		}
	}
	if c.MQTTAddr != "off" {
		addr("mqtt-addr", c.MQTTAddr)
	}
	addr("mqtt-ws-addr", c.MQTTWSAddr)
	addr("mqtt-tls-addr", c.MQTTTLSAddr)
	if c.MQTTTLSAddr != "" && (c.MQTTTLSCert == "" || c.MQTTTLSKey == "") {
		out = append(out, "--mqtt-tls-addr: give the certificate and key files with --mqtt-tls-cert and --mqtt-tls-key")
	}
	if c.MQTTBroker != "" {
		if _, _, err := ingest.ParseBrokerURL(c.MQTTBroker); err != nil {
			out = append(out, fmt.Sprintf("--mqtt-broker %q: want tcp://host:1883 or mqtts://host:8883, without user name or password (give them with --mqtt-username and --mqtt-password)", c.MQTTBroker))
		}
	}
	return out
}

// startMQTT starts the devices' broker (or the connection to the external
// one) and the ingest into the store. addrSet tells whether --mqtt-addr
// was given: a demo on the default port moves to a free one when it is
// taken.
func (m *Main) startMQTT(ctx context.Context, addrSet bool) error {
	c := m.Config.MQTTConfig
	if c.MQTTBroker == "" && c.MQTTAddr == "off" {
		return nil
	}
	if m.Live == nil {
		m.Live = live.NewHub()
	}
	cfg := ingest.ServerConfig{
		// The boards hear of each batch the ingest commits.
		Store: liveStore{Store: m.Store, live: live.Store[nakamawashi.Store]{S: m.Store, Hub: m.Live}}, Logger: m.Logger,
		Addr: c.MQTTAddr, WSAddr: c.MQTTWSAddr, TLSAddr: c.MQTTTLSAddr,
		Broker: c.MQTTBroker, Username: c.MQTTUsername, Password: c.MQTTPassword,
	}
	if c.MQTTTLSAddr != "" {
		cert, err := tls.LoadX509KeyPair(c.MQTTTLSCert, c.MQTTTLSKey)
		if err != nil {
			return fmt.Errorf("--mqtt-tls-cert, --mqtt-tls-key: %w", err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if c.MQTTBroker == "" && m.Config.Demo && !addrSet && portBusy(c.MQTTAddr) {
		m.Logger.Warn("MQTT port in use; the demo's broker picks a free one", "addr", c.MQTTAddr)
		cfg.Addr = ":0"
	}
	s, err := ingest.Open(ctx, cfg)
	if err != nil {
		lang := cliLanguage()
		switch {
		case c.MQTTBroker != "" && nakamawashi.ErrorCode(err) == nakamawashi.EUNAUTHORIZED:
			return errors.New(nakamawashi.Localize(lang, "mqtt.cli.external_refused", c.MQTTBroker) + "\n  (" + err.Error() + ")")
		case c.MQTTBroker != "":
			return errors.New(nakamawashi.Localize(lang, "mqtt.cli.external_unavailable", c.MQTTBroker) + "\n  (" + err.Error() + ")")
		case errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use"):
			return errors.New(nakamawashi.Localize(lang, "mqtt.cli.addr_in_use", cfg.Addr))
		}
		return err
	}
	m.MQTT = s
	if allow := c.mtconnectAllow(); len(allow) > 0 {
		r := &MTConnectRunner{Store: m.Store, Allow: allow, Submit: s.Ingester.Handle, Logger: m.Logger}
		go r.Run(ctx)
	}
	if s.Broker != nil {
		fmt.Fprintf(m.Stdout, "MQTT: %s\n", nakamawashi.Localize(cliLanguage(), "mqtt.cli.listening", "mqtt://"+displayAddr(s.Addr())))
	} else {
		fmt.Fprintf(m.Stdout, "MQTT: %s\n", nakamawashi.Localize(cliLanguage(), "mqtt.cli.external", c.MQTTBroker))
	}
	return nil
}

// liveStore is the store the ingest writes to: it publishes what it
// committed to the boards' hub.
type liveStore struct {
	nakamawashi.Store
	live live.Store[nakamawashi.Store]
}

func (s liveStore) AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error {
	return s.live.AppendStateIntervals(ctx, ivs)
}

// wireLive gives the web server the boards' hub, the broker's address
// for device settings and the MTConnect allow-list. In external mode
// several servers may share the messages, so each also reads the states
// from the store every second.
func (m *Main) wireLive(ctx context.Context, s *http.Server) {
	if m.Live == nil {
		m.Live = live.NewHub()
	}
	s.Live = m.Live
	c := m.Config.MQTTConfig
	s.MTConnectAllow = c.mtconnectAllow()
	switch {
	case m.MQTT != nil && m.MQTT.Broker != nil:
		s.MQTTAddr = m.MQTT.Addr()
	case c.MQTTBroker != "":
		if addr, _, err := ingest.ParseBrokerURL(c.MQTTBroker); err == nil {
			s.MQTTAddr = addr
		}
		sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
		go m.Live.Poll(sys, m.Store, time.Second, func(err error) { m.Logger.Warn("boards: reading machine states", "err", err) })
	}
}

// closeMQTTUnlessServing closes the broker when serve fails after starting
// it.
func (m *Main) closeMQTTUnlessServing() {
	if m.HTTP == nil && m.MQTT != nil {
		m.MQTT.Close()
		m.MQTT = nil
	}
}

// displayAddr names an address that listens everywhere by localhost.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
