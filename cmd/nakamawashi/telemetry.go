package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

const telemetryUsage = `usage: nakamawashi telemetry replay --shdr FILE [--json]

Replay a recorded SHDR log (one line per observation, timestamp first:
timestamp|key|value|key|value…) and print, per device, the state intervals
and the time in each state: running, idle, setup, alarm, off.

Keys may name their device as device:key; keys without one belong to the
device "default". The keys read, without case:
  avail, availability                    Availability: UNAVAILABLE → off
  exec, execution                        Execution: ACTIVE → running
  estop, emergency_stop, emergencystop   EmergencyStop: TRIGGERED → alarm
  mode, controller_mode, controllermode  ControllerMode: MANUAL, MANUAL_DATA_INPUT, EDIT → setup
  any key whose value is NORMAL, WARNING or FAULT (a Condition): FAULT → alarm
Off wins over alarm, alarm over running, running over setup; otherwise idle.
Heartbeats (* PING, * PONG), assets and # comments are skipped. Lines that
cannot be read are counted and reported on standard error; the command
fails only when nothing could be read.
`

// telemetry runs the telemetry subcommands; "replay" is the only one.
func (m *Main) telemetry(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "replay" {
		fmt.Fprint(m.Stderr, telemetryUsage)
		return flag.ErrHelp
	}
	return m.telemetryReplay(ctx, args[1:])
}

func (m *Main) telemetryReplay(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("nakamawashi telemetry replay", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	file := fs.String("shdr", "", "the recorded SHDR log to replay")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), telemetryUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := telemetry.Replay(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	lang := m.language()
	if len(rep.Devices) == 0 {
		m.reportBadLines(lang, *file, rep.Bad)
		return fmt.Errorf("%s: %s", *file, nakamawashi.Localize(lang, "telemetry.no_data"))
	}
	if *asJSON {
		err = writeReplayJSON(m.Stdout, rep)
	} else {
		writeReplayTable(m.Stdout, lang, rep)
	}
	m.reportBadLines(lang, *file, rep.Bad)
	return err
}

// language picks the terminal's language from LANG, as cliLanguage does,
// but through m.Getenv so that tests can set it.
func (m *Main) language() nakamawashi.Language {
	if strings.HasPrefix(m.Getenv("LANG"), "ja") {
		return nakamawashi.Japanese
	}
	return nakamawashi.English
}

// maxBadLines is how many bad lines are shown; the count covers all.
const maxBadLines = 20

func (m *Main) reportBadLines(lang nakamawashi.Language, file string, bad []*telemetry.LineError) {
	if len(bad) == 0 {
		return
	}
	fmt.Fprintf(m.Stderr, "%s: %s\n", file, nakamawashi.Localize(lang, "telemetry.bad_lines", len(bad)))
	for i, e := range bad {
		if i == maxBadLines {
			fmt.Fprintf(m.Stderr, "  …\n")
			break
		}
		fmt.Fprintf(m.Stderr, "  %s:%d: %v\n", file, e.Line, e.Err)
	}
}

type replaySeconds struct {
	Running float64 `json:"running"`
	Idle    float64 `json:"idle"`
	Setup   float64 `json:"setup"`
	Alarm   float64 `json:"alarm"`
	Off     float64 `json:"off"`
}

type replayInterval struct {
	State telemetry.State `json:"state"`
	Start time.Time       `json:"start"`
	End   time.Time       `json:"end"`
}

type replayDevice struct {
	Name      string           `json:"name"`
	Seconds   replaySeconds    `json:"seconds"`
	Intervals []replayInterval `json:"intervals"`
}

func writeReplayJSON(w io.Writer, rep *telemetry.Report) error {
	out := struct {
		Devices []replayDevice `json:"devices"`
	}{Devices: make([]replayDevice, 0, len(rep.Devices))}
	for _, d := range rep.Devices {
		rd := replayDevice{Name: d.Name, Intervals: make([]replayInterval, 0, len(d.Intervals))}
		rd.Seconds = replaySeconds{
			Running: d.Time[telemetry.Running].Seconds(),
			Idle:    d.Time[telemetry.Idle].Seconds(),
			Setup:   d.Time[telemetry.Setup].Seconds(),
			Alarm:   d.Time[telemetry.Alarm].Seconds(),
			Off:     d.Time[telemetry.Off].Seconds(),
		}
		loc := deviceZone(d)
		for _, iv := range d.Intervals {
			rd.Intervals = append(rd.Intervals, replayInterval{State: iv.State, Start: iv.Start.In(loc), End: iv.End.In(loc)})
		}
		out.Devices = append(out.Devices, rd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeReplayTable(w io.Writer, lang nakamawashi.Language, rep *telemetry.Report) {
	l := func(key string) string { return nakamawashi.Localize(lang, key) }
	for i, d := range rep.Devices {
		if i > 0 {
			fmt.Fprintln(w)
		}
		var total time.Duration
		for _, t := range d.Time {
			total += t
		}
		fmt.Fprintf(w, "%s: %s\n", l("telemetry.device"), d.Name)
		fmt.Fprintf(w, "  %-8s %12s %10s %6s  %s\n", "state", "time", "seconds", "%", l("telemetry.state"))
		for _, s := range telemetry.States {
			share := 0.0
			if total > 0 {
				share = 100 * d.Time[s].Seconds() / total.Seconds()
			}
			fmt.Fprintf(w, "  %-8s %12s %10s %6.1f  %s\n", s, clockDuration(d.Time[s]), seconds(d.Time[s]), share, s.Message().In(lang))
		}
		fmt.Fprintf(w, "  %s\n", l("telemetry.intervals"))
		loc := deviceZone(d)
		for _, iv := range d.Intervals {
			fmt.Fprintf(w, "    %s  %s  %-8s %12s\n", iv.Start.In(loc).Format(tableTime), iv.End.In(loc).Format(tableTime), iv.State, clockDuration(iv.Duration()))
		}
	}
}

// tableTime is RFC 3339 with milliseconds always shown, so that the
// columns line up.
const tableTime = "2006-01-02T15:04:05.000Z07:00"

// deviceZone returns the time zone of a device's first observation: a
// recording that mixes UTC and local stamps reads in one zone.
func deviceZone(d telemetry.DeviceReport) *time.Location {
	if len(d.Intervals) == 0 {
		return time.UTC
	}
	return d.Intervals[0].Start.Location()
}

// seconds formats a duration as seconds without trailing zeros.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// clockDuration formats a duration as h:mm:ss, with the fraction of a
// second when there is one.
func clockDuration(d time.Duration) string {
	h := d / time.Hour
	d -= h * time.Hour
	mins := d / time.Minute
	d -= mins * time.Minute
	s := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	if d < 10*time.Second {
		s = "0" + s
	}
	return fmt.Sprintf("%d:%02d:%s", h, mins, s)
}
