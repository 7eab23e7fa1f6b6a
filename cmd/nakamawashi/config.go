package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/nakamawashi/nakamawashi"
)

// Config holds the settings of a server. They come, each overriding the
// one before, from the defaults, a JSON config file, NAKAMAWASHI_*
// environment variables and command-line flags, and are then validated.
type Config struct {
	Addr          string `json:"addr"`           // HTTP listen address
	Data          string `json:"data"`           // data directory: SQLite database, uploads
	DB            string `json:"db"`             // PostgreSQL DSN; empty for SQLite in Data
	Demo          bool   `json:"demo"`           // seed the demo network on first start
	NetworkName   string `json:"network_name"`   // shown in the UI and on documents
	HomeRegion    string `json:"home_region"`    // companies elsewhere are regional (地方企業)
	LogLevel      string `json:"log_level"`      // debug, info, warn, error
	LogFormat     string `json:"log_format"`     // text or json
	SecureCookies bool   `json:"secure_cookies"` // set when served over HTTPS behind a proxy
	TrustProxy    bool   `json:"trust_proxy"`    // take the client address from X-Forwarded-For
	MQTTConfig           // the devices' broker: the settings in mqtt.go
	FlowConfig           // the order flow: fees, documents, mail; the settings in flowconfig.go
}

// DefaultConfig returns the settings used when nothing else is given.
func DefaultConfig() Config {
	return Config{
		Addr:        ":8080",
		Data:        "./nakamawashi-data",
		NetworkName: "大田区IoT仲間まわしネットワーク",
		HomeRegion:  "大田区",
		LogLevel:    "info",
		LogFormat:   "text",
		MQTTConfig:  DefaultMQTTConfig(),
		FlowConfig:  DefaultFlowConfig(),
	}
}

// setting describes one setting once, for the file, the environment, the
// flags and the configuration reference in the README.
type setting struct {
	name  string // flag name; the environment variable is NAKAMAWASHI_ + upper snake case
	usage string
	str   *string
	bool  *bool
	val   flag.Value // numbers and other typed settings
}

func (c *Config) settings() []setting {
	return append([]setting{
		{name: "addr", usage: "HTTP listen address (host:port; :0 picks a free port)", str: &c.Addr},
		{name: "data", usage: "data directory for the SQLite database and files", str: &c.Data},
		{name: "db", usage: "PostgreSQL DSN (postgres://…); empty uses SQLite in the data directory", str: &c.DB},
		{name: "demo", usage: "seed a demo network on first start and print its logins", bool: &c.Demo},
		{name: "network-name", usage: "the network's name, shown in the UI", str: &c.NetworkName},
		{name: "home-region", usage: "the network's home region; companies elsewhere are regional", str: &c.HomeRegion},
		{name: "log-level", usage: "log level: debug, info, warn or error", str: &c.LogLevel},
		{name: "log-format", usage: "log format: text or json", str: &c.LogFormat},
		{name: "secure-cookies", usage: "mark cookies Secure (set when served over HTTPS by a proxy)", bool: &c.SecureCookies},
		{name: "trust-proxy", usage: "take the client address from X-Forwarded-For (only behind a proxy)", bool: &c.TrustProxy},
	}, append(c.MQTTConfig.settings(), c.FlowConfig.settings()...)...)
}

func envName(flagName string) string {
	return "NAKAMAWASHI_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// LoadFile merges a JSON config file into c. Unknown keys are an error, so
// that a typo does not silently fall back to a default.
func (c *Config) LoadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// LoadEnv merges NAKAMAWASHI_* variables from getenv into c.
func (c *Config) LoadEnv(getenv func(string) string) error {
	for _, s := range c.settings() {
		v := getenv(envName(s.name))
		if v == "" {
			continue
		}
		if s.str != nil {
			*s.str = v
		} else if s.val != nil {
			if err := s.val.Set(v); err != nil {
				return fmt.Errorf("%s=%q: %v", envName(s.name), v, err)
			}
		} else if b, err := strconv.ParseBool(v); err != nil {
			return fmt.Errorf("%s=%q: want true or false", envName(s.name), v)
		} else {
			*s.bool = b
		}
	}
	return nil
}

// RegisterFlags defines a flag for every setting on fs, defaulting to the
// current values of c, so flags override file and environment.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	for _, s := range c.settings() {
		usage := s.usage + " (env " + envName(s.name) + ")"
		if s.str != nil {
			fs.StringVar(s.str, s.name, *s.str, usage)
		} else if s.val != nil {
			fs.Var(s.val, s.name, usage)
		} else {
			fs.BoolVar(s.bool, s.name, *s.bool, usage)
		}
	}
}

// Validate checks the settings and says plainly what is wrong with each.
func (c *Config) Validate() error {
	var problems []string
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, fmt.Sprintf("--addr %q: want host:port, e.g. :8080 or 127.0.0.1:8080", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		problems = append(problems, fmt.Sprintf("--addr %q: the port must be a number from 0 to 65535", c.Addr))
	}
	if c.DB == "" && strings.TrimSpace(c.Data) == "" {
		problems = append(problems, "--data: give a data directory for the SQLite database (or --db for PostgreSQL)")
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") && !strings.Contains(c.DB, "=") {
		problems = append(problems, "--db: want a PostgreSQL DSN such as postgres://user@host:5432/nakamawashi?sslmode=disable")
	}
	if strings.TrimSpace(c.HomeRegion) == "" {
		problems = append(problems, "--home-region: give the network's home region, e.g. 大田区")
	}
	if strings.TrimSpace(c.NetworkName) == "" {
		problems = append(problems, "--network-name: give the network a name")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		problems = append(problems, fmt.Sprintf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		problems = append(problems, fmt.Sprintf("--log-format %q: want text or json", c.LogFormat))
	}
	problems = append(problems, c.MQTTConfig.problems()...)
	problems = append(problems, c.FlowConfig.problems()...)
	if len(problems) > 0 {
		return fmt.Errorf("invalid configuration:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// Network returns the network settings for the domain.
func (c *Config) Network() nakamawashi.Network {
	return nakamawashi.Network{Name: c.NetworkName, HomeRegion: c.HomeRegion}
}

// Logger builds the structured logger the settings ask for.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
