// Command nakamawashi runs a 仲間まわし network: the web UI and JSON API, with
// the database (SQLite by default, PostgreSQL for scale-out), and the
// operator's commands (users, backups).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/demo"
	"github.com/nakamawashi/nakamawashi/http"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/live"
	"github.com/nakamawashi/nakamawashi/postgres"
	"github.com/nakamawashi/nakamawashi/sqlite"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "nakamawashi:", err)
		os.Exit(1)
	}
	if m.HTTP == nil {
		return
	}
	<-ctx.Done()
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "nakamawashi: shutdown:", err)
		os.Exit(1)
	}
}

// Main is the program: it parses the command line, wires the store and the
// servers, and closes them. Tests drive it like main does.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	Config Config
	Store  nakamawashi.Store
	HTTP   *http.Server
	MQTT   *ingest.Server // the devices' broker and the ingest
	Live   *live.Hub      // machine state changes for the boards
	Logins []demo.Login   // the demo accounts, when serving with --demo
	Logger *slog.Logger

	stopJobs context.CancelFunc // the order flow's background jobs
	stopSim  func()             // the demo's simulated devices
}

// NewMain returns a Main wired to the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Config: DefaultConfig()}
}

const usage = `nakamawashi — the platform of a 仲間まわし network

Usage:
  nakamawashi serve [flags]        run the web UI and JSON API (--demo for a demo network)
  nakamawashi user add [flags]     create a user (and its membership in a company)
  nakamawashi backup --to FILE     write an online, consistent copy of the SQLite database
  nakamawashi audit verify         check the audit log's hash chain; exit 1 if it is broken
  nakamawashi schedule FILE        solve a flexible job-shop instance (FJSP text format)
  nakamawashi telemetry replay --shdr FILE [--json]  machine states and time per state from an SHDR recording
  nakamawashi bench ingest [flags] measure the MQTT ingest: durable QoS 1 messages/s, latency, idle connections
  nakamawashi edge [flags]         the edge agent of a stack light (GPIO, a command or a file) with an offline buffer
  nakamawashi version              print the version

Run "nakamawashi COMMAND -h" for the flags of a command.
`

// Run executes the command in args. For "serve" it returns once the server
// listens; the caller waits and then calls Close.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return m.serve(ctx, args[1:])
	case "user":
		if len(args) < 2 || args[1] != "add" {
			fmt.Fprint(m.Stderr, "usage: nakamawashi user add --email E --name N --company ID --role ROLE\n")
			return flag.ErrHelp
		}
		return m.userAdd(ctx, args[2:])
	case "backup":
		return m.backup(ctx, args[1:])
	case "audit":
		if len(args) < 2 || args[1] != "verify" {
			fmt.Fprint(m.Stderr, "usage: nakamawashi audit verify [--json]\n")
			return flag.ErrHelp
		}
		return m.auditVerify(ctx, args[2:])
	case "schedule":
		return m.schedule(ctx, args[1:])
	case "telemetry":
		return m.telemetry(ctx, args[1:])
	case "bench":
		return m.bench(ctx, args[1:])
	case "edge":
		return m.edge(ctx, args[1:])
	case "version":
		fmt.Fprintln(m.Stdout, "nakamawashi", Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "unknown command %q\n\n%s", args[0], usage)
	return flag.ErrHelp
}

// Version returns the version set at build time, or the module version.
func Version() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// Close stops the servers and closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.stopJobs != nil {
		m.stopJobs()
	}
	if m.stopSim != nil {
		m.stopSim() // before the broker, so the devices go first
	}
	if m.HTTP != nil {
		errs = append(errs, m.HTTP.Close())
	}
	if m.MQTT != nil {
		errs = append(errs, m.MQTT.Close())
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}

// configure loads the config file, environment and flags into m.Config.
// extra registers the command's own flags.
func (m *Main) configure(name string, args []string, extra func(fs *flag.FlagSet)) error {
	fs := flag.NewFlagSet("nakamawashi "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	configFile := fs.String("config", m.Getenv("NAKAMAWASHI_CONFIG"), "JSON config file (env NAKAMAWASHI_CONFIG)")
	// The config file must be read before the environment and the flags
	// are applied, so find it first.
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			*configFile = v
		} else if v, ok := strings.CutPrefix(a, "-config="); ok {
			*configFile = v
		} else if (a == "--config" || a == "-config") && i+1 < len(args) {
			*configFile = args[i+1]
		}
	}
	if *configFile != "" {
		if err := m.Config.LoadFile(*configFile); err != nil {
			return err
		}
	}
	if err := m.Config.LoadEnv(m.Getenv); err != nil {
		return err
	}
	m.Config.RegisterFlags(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := m.Config.Validate(); err != nil {
		return err
	}
	m.Logger = m.Config.Logger(m.Stderr)
	return nil
}

// openStore opens PostgreSQL when a DSN is configured, SQLite otherwise.
func (m *Main) openStore(ctx context.Context) error {
	var err error
	if m.Config.DB != "" {
		m.Store, err = postgres.Open(ctx, m.Config.DB)
		if err != nil {
			return fmt.Errorf("open PostgreSQL (--db): %w", err)
		}
		return nil
	}
	path := filepath.Join(m.Config.Data, "nakamawashi.db")
	m.Store, err = sqlite.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	return nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	addrSet := false
	demoSpeed := 1.0
	if err := m.configure("serve", args, func(fs *flag.FlagSet) {
		fs.Float64Var(&demoSpeed, "demo-speed", 1, "with --demo: run the simulated shop days this many times faster than real time")
	}); err != nil {
		return err
	}
	for _, a := range args {
		if strings.HasPrefix(strings.TrimLeft(a, "-"), "addr") {
			addrSet = true
		}
	}
	if m.Getenv("NAKAMAWASHI_ADDR") != "" {
		addrSet = true
	}
	mqttAddrSet := m.Getenv("NAKAMAWASHI_MQTT_ADDR") != ""
	for _, a := range args {
		mqttAddrSet = mqttAddrSet || strings.HasPrefix(strings.TrimLeft(a, "-"), "mqtt-addr")
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
		logins, seeded, err := demo.Seed(sys, m.Store, demo.Options{})
		if err != nil {
			return fmt.Errorf("seed the demo network: %w", err)
		}
		m.Logins = logins
		if seeded {
			m.Logger.Info("demo network seeded")
		}
		// A demo must start even where the default port is taken.
		if !addrSet && portBusy(m.Config.Addr) {
			m.Logger.Warn("port in use; the demo picks a free one", "addr", m.Config.Addr)
			m.Config.Addr = ":0"
		}
	}

	if err := m.startMQTT(ctx, mqttAddrSet); err != nil {
		return err
	}
	defer m.closeMQTTUnlessServing()
	if m.Config.Demo {
		if err := m.startSimulator(ctx, demoSpeed); err != nil {
			return err
		}
		defer m.stopSimUnlessServing()
	}

	s := http.NewServer()
	s.Addr = m.Config.Addr
	s.Store = m.Store
	s.Network = m.Config.Network()
	s.Logger = m.Logger
	s.SecureCookies = m.Config.SecureCookies
	s.TrustProxy = m.Config.TrustProxy
	s.Version = Version()
	m.wireLive(ctx, s)
	if err := m.startFlow(ctx, s); err != nil {
		return err
	}
	if err := s.Open(); err != nil {
		if isAddrInUse(err) {
			return fmt.Errorf("the address %s is already in use: stop the other server or choose another port with --addr (env NAKAMAWASHI_ADDR), e.g. --addr :8081", m.Config.Addr)
		}
		return err
	}
	m.HTTP = s
	fmt.Fprintf(m.Stdout, "nakamawashi %s: %s を開いてください / open %s\n", Version(), s.URL(), s.URL())
	if m.Config.Demo {
		m.printLogins()
	}
	return nil
}

func (m *Main) printLogins() {
	w := m.Stdout
	fmt.Fprintln(w, "デモ用ログイン / demo logins:")
	for _, l := range m.Logins {
		fmt.Fprintf(w, "  %-24s %-16s %-18s %s（%s）\n", l.Email, l.Password, l.Role, l.CompanyName, l.Note)
	}
}

func portBusy(addr string) bool {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return true
	}
	ln.Close()
	return false
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	var nu nakamawashi.NewUser
	var role, lang string
	var companyID int64
	var password string
	err := m.configure("user add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&nu.User.Email, "email", "", "the user's email address (login)")
		fs.StringVar(&nu.User.Name, "name", "", "the user's name, e.g. 佐藤 花子")
		fs.StringVar(&lang, "language", "ja", "ja or en")
		fs.Int64Var(&companyID, "company", 0, "the company's id to add the user to (0: none)")
		fs.StringVar(&role, "role", "owner", "role in the company: owner, staff, coordinator, local_government, admin")
		fs.StringVar(&password, "password", "", "the password; prefer standard input (first line) or NAKAMAWASHI_USER_PASSWORD")
	})
	if err != nil {
		return err
	}
	if password == "" {
		password = m.Getenv("NAKAMAWASHI_USER_PASSWORD")
	}
	if password == "" {
		fmt.Fprintln(m.Stderr, "password (first line of standard input):")
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	nu.User.Language = nakamawashi.Language(lang)
	nu.Password, nu.CompanyID, nu.Role = password, companyID, nakamawashi.Role(role)
	if err := m.openStore(ctx); err != nil {
		return err
	}
	defer m.Store.Close()
	u, err := m.Store.CreateUser(nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor), &nu)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(m.Stdout, "user %d created: %s <%s>\n", u.ID, u.Name, u.Email)
	return nil
}

func (m *Main) backup(ctx context.Context, args []string) error {
	var to string
	if err := m.configure("backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the file to write the backup to (must not exist)")
	}); err != nil {
		return err
	}
	if to == "" {
		return errors.New("backup: give the file to write with --to FILE")
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	defer m.Store.Close()
	if err := m.Store.Backup(nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor), to); err != nil {
		return explain(err)
	}
	fmt.Fprintf(m.Stdout, "backup written to %s; to restore, stop the server and copy it to %s\n", to,
		filepath.Join(m.Config.Data, "nakamawashi.db"))
	return nil
}

// explain renders a domain error with its field messages for the terminal.
func explain(err error) error {
	lang := cliLanguage()
	msg := nakamawashi.ErrorMessage(lang, err)
	for field, m := range nakamawashi.ErrorFields(lang, err) {
		msg += fmt.Sprintf("\n  --%s: %s", strings.ReplaceAll(field, "_", "-"), m)
	}
	if nakamawashi.ErrorCode(err) == nakamawashi.EINTERNAL {
		return err
	}
	return errors.New(msg)
}

// cliLanguage picks the terminal's language from LANG: Japanese for ja_*,
// English otherwise.
func cliLanguage() nakamawashi.Language {
	if strings.HasPrefix(os.Getenv("LANG"), "ja") {
		return nakamawashi.Japanese
	}
	return nakamawashi.English
}

// ErrAuditBroken is returned by "audit verify" when the chain is broken.
var ErrAuditBroken = errors.New("the audit chain is broken")

func (m *Main) auditVerify(ctx context.Context, args []string) error {
	var asJSON bool
	if err := m.configure("audit verify", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the result as JSON")
	}); err != nil {
		return err
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	defer m.Store.Close()
	v, err := m.Store.VerifyAuditChain(nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor))
	if err != nil {
		return explain(err)
	}
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		if err := enc.Encode(v); err != nil {
			return err
		}
	} else if v.OK {
		fmt.Fprintf(m.Stdout, "audit chain OK: %d events, last hash %s\n", v.Events, v.LastHash)
	} else {
		fmt.Fprintf(m.Stdout, "audit chain BROKEN at event %d: %s (%d events verified before it)\n", v.BrokenAt, v.Reason, v.Events)
	}
	if !v.OK {
		return ErrAuditBroken
	}
	return nil
}
