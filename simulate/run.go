package simulate

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// A Clock tells the simulated time and waits for it.
type Clock interface {
	Now() time.Time
	// Until waits until the clock reads t, or ctx is done.
	Until(ctx context.Context, t time.Time) error
	// Real reports whether the clock is the wall clock.
	Real() bool
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }
func (RealClock) Real() bool     { return true }
func (RealClock) Until(ctx context.Context, t time.Time) error {
	return sleep(ctx, time.Until(t))
}

// FastClock runs Speed times faster than the wall clock from Start, which
// it reads when it is made.
type FastClock struct {
	start  time.Time
	origin time.Time
	speed  float64
}

// NewFastClock returns a clock that reads start now and runs speed times
// faster than the wall clock.
func NewFastClock(start time.Time, speed float64) *FastClock {
	if speed <= 0 {
		speed = 1
	}
	return &FastClock{start: start, origin: time.Now(), speed: speed}
}

func (c *FastClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.origin)) * c.speed))
}

func (c *FastClock) Real() bool { return false }

func (c *FastClock) Until(ctx context.Context, t time.Time) error {
	return sleep(ctx, time.Duration(float64(t.Sub(c.Now()))/c.speed))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Device is a simulated device: the machine it reports on and its login.
type Device struct {
	MachineID int64
	DeviceID  int64
	Kind      nakamawashi.DeviceKind // a stack light publishes its lamps, any other kind states
	Company   string                 // topic codes, as nakamawashi.Device.Topic returns them
	Machine   string
	Username  string
	Secret    string
}

// Runner drives simulated devices through their machines' days as MQTT
// clients of the broker at Addr.
type Runner struct {
	Addr    string
	Devices []Device
	Clock   Clock // RealClock when nil
	Shift   Shift // DefaultShift when zero
	Logger  *slog.Logger
	// Published, when set, is called after each acknowledged state or
	// light message.
	Published func(d Device, c Change)
}

// Run drives every device until ctx is done. A device whose connection
// fails connects again after a pause; it then publishes the state in
// effect, with the time it began.
func (r *Runner) Run(ctx context.Context) error {
	if r.Clock == nil {
		r.Clock = RealClock{}
	}
	if r.Shift == (Shift{}) {
		r.Shift = DefaultShift
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	var wg sync.WaitGroup
	for i, d := range r.Devices {
		wg.Go(func() {
			// Spread the logins of many devices over a moment.
			if sleep(ctx, time.Duration(i)*20*time.Millisecond) != nil {
				return
			}
			backoff := time.Second
			for ctx.Err() == nil {
				err := r.device(ctx, d)
				if ctx.Err() != nil {
					return
				}
				r.Logger.Warn("simulate: device connection ended; connecting again", "machine", d.MachineID, "error", err, "in", backoff)
				if sleep(ctx, backoff) != nil {
					return
				}
				backoff = min(2*backoff, 30*time.Second)
			}
		})
	}
	wg.Wait()
	return nil
}

func topic(d Device, k mqtt.Kind) string {
	return mqtt.Topic{Company: d.Company, Machine: d.Machine, Kind: k}.String()
}

// device runs one connection of d until it fails or ctx is done.
func (r *Runner) device(ctx context.Context, d Device) error {
	c, err := mqtt.Dial(ctx, mqtt.ClientConfig{
		Addr: r.Addr, ClientID: d.Username, Username: d.Username, Password: d.Secret,
		Will: &mqtt.Will{Topic: topic(d, mqtt.KindStatus), Payload: []byte("offline"), QoS: 1},
	})
	if err != nil {
		return err
	}
	defer c.Close()
	publish := func(t string, payload []byte) error {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return c.Publish(pctx, t, payload, 1, false)
	}
	if err := publish(topic(d, mqtt.KindStatus), []byte("online")); err != nil {
		return err
	}
	// Waits end when the connection does.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.Done():
			cancel()
		case <-cctx.Done():
		}
	}()
	horizon := r.Clock.Now()
	chs := Changes(d.MachineID, horizon, horizon.Add(24*time.Hour), r.Shift)
	horizon = horizon.Add(24 * time.Hour)
	first := true
	for {
		for _, ch := range chs {
			if !first {
				if err := r.Clock.Until(cctx, ch.At); err != nil {
					if ctx.Err() == nil && c.Err() != nil {
						return c.Err()
					}
					return err
				}
			}
			// The first message carries the time its state began; later
			// ones on the wall clock are stamped by the broker, which
			// keeps a stack light's samples in the order it reads them.
			stamp := first || !r.Clock.Real()
			first = false
			kind, payload := mqtt.KindState, statePayload(ch, stamp)
			if d.Kind == nakamawashi.DeviceStackLight {
				kind, payload = mqtt.KindLight, lightPayload(ch, stamp)
			}
			if err := publish(topic(d, kind), payload); err != nil {
				return err
			}
			if r.Published != nil {
				r.Published(d, ch)
			}
		}
		// The next day's changes; the state in effect at the horizon,
		// when it began before, was published already.
		chs = Changes(d.MachineID, horizon, horizon.Add(24*time.Hour), r.Shift)
		if chs[0].At.Before(horizon) {
			chs = chs[1:]
		}
		horizon = horizon.Add(24 * time.Hour)
	}
}

// statePayload is a state message; with stamp it says when the state
// began.
func statePayload(ch Change, stamp bool) []byte {
	v := struct {
		State string     `json:"state"`
		At    *time.Time `json:"at,omitempty"`
	}{State: ch.State.String()}
	if stamp {
		at := ch.At.UTC()
		v.At = &at
	}
	b, _ := json.Marshal(v)
	return b
}

// lightPayload is the stack light's lamps in the state: green running,
// yellow setup, red blinking for an alarm, all dark otherwise (a stack
// light cannot tell idle from off).
func lightPayload(ch Change, stamp bool) []byte {
	type lamps struct {
		Green  bool `json:"green"`
		Yellow bool `json:"yellow"`
		Red    bool `json:"red"`
	}
	v := struct {
		lamps
		Blink *lamps     `json:"blink,omitempty"`
		At    *time.Time `json:"at,omitempty"`
	}{}
	switch ch.State {
	case telemetry.Running:
		v.Green = true
	case telemetry.Setup:
		v.Yellow = true
	case telemetry.Alarm:
		v.Blink = &lamps{Red: true}
	}
	if stamp {
		at := ch.At.UTC()
		v.At = &at
	}
	b, _ := json.Marshal(v)
	return b
}
