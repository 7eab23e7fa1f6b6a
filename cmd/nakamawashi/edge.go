package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi/edge"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// edge runs the edge agent: a stack light's lamps from GPIO, a command or
// a file, debounced, published as state changes through a local buffer.
func (m *Main) edge(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("nakamawashi edge", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	env := func(name, def string) string {
		if v := m.Getenv("NAKAMAWASHI_EDGE_" + name); v != "" {
			return v
		}
		return def
	}
	broker := fs.String("broker", env("BROKER", ""), "the broker: tcp://host:1883 or mqtts://host:8883 (env NAKAMAWASHI_EDGE_BROKER)")
	username := fs.String("username", env("USERNAME", ""), "the device's user name, d-c…-… (env NAKAMAWASHI_EDGE_USERNAME)")
	secretFile := fs.String("secret-file", env("SECRET_FILE", ""), "a file holding the device's secret (env NAKAMAWASHI_EDGE_SECRET_FILE; or the secret itself in NAKAMAWASHI_EDGE_SECRET)")
	company := fs.String("company", env("COMPANY", ""), "the company's topic code, c and its id (default: from the user name)")
	machine := fs.String("machine", env("MACHINE", ""), "the machine's topic code, m and its id, as the device's page shows it (env NAKAMAWASHI_EDGE_MACHINE)")
	buffer := fs.String("buffer", env("BUFFER", "nakamawashi-edge.db"), "the SQLite file that keeps the states until the broker has them (env NAKAMAWASHI_EDGE_BUFFER)")
	chip := fs.String("gpio-chip", env("GPIO_CHIP", ""), "read the lamps from this GPIO chip, e.g. /dev/gpiochip0 (env NAKAMAWASHI_EDGE_GPIO_CHIP)")
	lines := fs.String("gpio-lines", env("GPIO_LINES", ""), "the GPIO line offsets of the red, yellow and green lamps, e.g. 17,27,22 (env NAKAMAWASHI_EDGE_GPIO_LINES)")
	activeLow := fs.Bool("gpio-active-low", env("GPIO_ACTIVE_LOW", "") == "1", "a lit lamp pulls its line low")
	bias := fs.String("gpio-bias", env("GPIO_BIAS", ""), "pull-up or pull-down, for sensors with open outputs")
	command := fs.String("input-command", env("INPUT_COMMAND", ""), "read samples from this command's output (run by sh -c): lines of a time and three lamp digits, red yellow green")
	file := fs.String("input-file", env("INPUT_FILE", ""), "read samples from this file (- for standard input), lines as for --input-command")
	debounce := fs.Duration("debounce", telemetry.DefaultDebounce, "how long a lamp must stay dark to count as off")
	yellow := fs.String("yellow", "setup", "what the yellow lamp means: setup or idle")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var problems []string
	addr, useTLS, err := ingest.ParseBrokerURL(*broker)
	if *broker == "" || err != nil {
		problems = append(problems, "--broker: give the broker as tcp://host:1883 or mqtts://host:8883")
	}
	if *username == "" {
		problems = append(problems, "--username: give the device's user name, as shown when it was registered")
	}
	secret := m.Getenv("NAKAMAWASHI_EDGE_SECRET")
	if *secretFile != "" {
		b, err := os.ReadFile(*secretFile)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--secret-file: %v", err))
		}
		secret = strings.TrimSpace(string(b))
	}
	if secret == "" && *secretFile == "" {
		problems = append(problems, "--secret-file: give a file holding the device's secret (or NAKAMAWASHI_EDGE_SECRET)")
	}
	if *company == "" {
		// d-c12-xxxxxxxxxx
		if p := strings.Split(*username, "-"); len(p) == 3 && p[0] == "d" {
			*company = p[1]
		}
	}
	if *machine == "" {
		problems = append(problems, "--machine: give the machine's topic code, e.g. m34")
	}
	inputs := 0
	for _, v := range []string{*chip, *command, *file} {
		if v != "" {
			inputs++
		}
	}
	if inputs != 1 {
		problems = append(problems, "give one input: --gpio-chip with --gpio-lines, --input-command or --input-file")
	}
	var gpio edge.GPIOConfig
	if *chip != "" {
		gpio = edge.GPIOConfig{Chip: *chip, ActiveLow: *activeLow, Bias: *bias}
		p := strings.Split(*lines, ",")
		if len(p) != 3 {
			problems = append(problems, "--gpio-lines: give three line offsets, red, yellow and green, e.g. 17,27,22")
		} else {
			for i, s := range p {
				n, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil {
					problems = append(problems, fmt.Sprintf("--gpio-lines: %q is not a line offset", s))
				}
				gpio.Lines[i] = n
			}
			if err := gpio.Validate(); err != nil {
				problems = append(problems, "--gpio-lines: "+err.Error())
			}
		}
	}
	ys, err := telemetry.ParseState(*yellow)
	if err != nil || (ys != telemetry.Setup && ys != telemetry.Idle) {
		problems = append(problems, "--yellow: setup or idle")
	}
	if len(problems) > 0 {
		return errors.New("edge: " + strings.Join(problems, "\n  "))
	}
	m.Logger = m.Config.Logger(m.Stderr)

	buf, err := edge.OpenBuffer(ctx, *buffer)
	if err != nil {
		return err
	}
	defer buf.Close()
	cfg := edge.Config{Addr: addr, Username: *username, Secret: secret, Company: *company, Machine: *machine,
		Buffer: buf, Debounce: *debounce, Yellow: ys, Live: *chip != "", Logger: m.Logger, Backoff: 10 * time.Second}
	if useTLS {
		host := addr
		if i := strings.LastIndex(addr, ":"); i > 0 {
			host = addr[:i]
		}
		cfg.TLS = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	samples := make(chan telemetry.LightSample, 64)
	inputErr := make(chan error, 1)
	go func() {
		defer close(samples)
		var err error
		switch {
		case *chip != "":
			err = edge.ReadGPIO(ctx, gpio, samples)
		case *command != "":
			cmd := exec.CommandContext(ctx, "sh", "-c", *command)
			cmd.Stderr = m.Stderr
			out, perr := cmd.StdoutPipe()
			if perr != nil {
				err = perr
				break
			}
			if err = cmd.Start(); err != nil {
				break
			}
			err = edge.ReadSamples(ctx, out, samples)
			if werr := cmd.Wait(); err == nil && werr != nil && ctx.Err() == nil {
				err = fmt.Errorf("--input-command: %w", werr)
			}
		default:
			f := os.Stdin
			if *file != "-" {
				f, err = os.Open(*file)
				if err != nil {
					break
				}
				defer f.Close()
			}
			err = edge.ReadSamples(ctx, f, samples)
		}
		inputErr <- err
	}()
	fmt.Fprintf(m.Stdout, "edge: %s/%s → %s (buffer %s)\n", *company, *machine, *broker, *buffer)
	err = edge.Run(ctx, cfg, samples)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	cancel()
	if ierr := <-inputErr; ierr != nil && !errors.Is(ierr, context.Canceled) {
		return errors.Join(err, ierr)
	}
	return err
}
