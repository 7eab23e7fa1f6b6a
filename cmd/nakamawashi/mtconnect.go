package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// MTConnectReload is how often serve reads the MTConnect sources again, to
// start those saved and stop those removed or disabled since.
const MTConnectReload = 30 * time.Second

// MTConnectRunner runs one agent poller or adapter client per enabled
// device of kind mtconnect with a source, and hands the states it reads to
// Submit (the ingest, with its group commit) as the state messages of
// that device. Hosts must be on Allow; with an empty Allow nothing runs.
type MTConnectRunner struct {
	Store  nakamawashi.MTConnectService
	Allow  []string
	Submit func(context.Context, mqtt.Message) error
	Logger *slog.Logger
	// Reload is the interval between reloads; MTConnectReload when zero.
	Reload time.Duration
	// Interval is the agents' poll interval; 1 s when zero.
	Interval time.Duration

	mu      sync.Mutex
	running map[int64]*runningSource
}

type runningSource struct {
	key    string
	cancel context.CancelFunc
	done   chan struct{}
}

func sourceKey(s *nakamawashi.MTConnectSource) string {
	return strings.Join([]string{s.AgentURL, s.AgentDevice, s.AdapterAddr}, "\x00")
}

// Run reloads the sources until ctx is done, then stops them all.
func (r *MTConnectRunner) Run(ctx context.Context) {
	every := r.Reload
	if every <= 0 {
		every = MTConnectReload
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		r.Sync(ctx)
		select {
		case <-ctx.Done():
			r.stopAll()
			return
		case <-t.C:
		}
	}
}

// Sync starts the sources saved since the last call and stops those
// removed, changed or disabled.
func (r *MTConnectRunner) Sync(ctx context.Context) {
	log := r.logger()
	var srcs []*nakamawashi.MTConnectSource
	if len(r.Allow) > 0 {
		var err error
		srcs, err = r.Store.FindMTConnectSources(nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor))
		if err != nil {
			log.Warn("mtconnect: reading the sources", "err", err)
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running == nil {
		r.running = map[int64]*runningSource{}
	}
	want := map[int64]*nakamawashi.MTConnectSource{}
	for _, s := range srcs {
		want[s.DeviceID] = s
	}
	for id, rs := range r.running {
		if s, ok := want[id]; !ok || sourceKey(s) != rs.key {
			rs.cancel()
			<-rs.done
			delete(r.running, id)
		}
	}
	for id, s := range want {
		if _, ok := r.running[id]; ok {
			continue
		}
		sctx, cancel := context.WithCancel(ctx)
		rs := &runningSource{key: sourceKey(s), cancel: cancel, done: make(chan struct{})}
		r.running[id] = rs
		go func() {
			defer close(rs.done)
			if err := r.run(sctx, s); err != nil && sctx.Err() == nil {
				log.Warn("mtconnect: source refused", "device", s.DeviceID, "err", err)
			}
		}()
	}
}

func (r *MTConnectRunner) stopAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, rs := range r.running {
		rs.cancel()
		<-rs.done
		delete(r.running, id)
	}
}

func (r *MTConnectRunner) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// run follows one source until ctx is done. The allow-list is checked
// again here, by mtconnect.NewAgent and NewAdapter, before any connection.
func (r *MTConnectRunner) run(ctx context.Context, s *nakamawashi.MTConnectSource) error {
	log := r.logger().With("device", s.DeviceID, "machine", s.MachineID)
	id := mqtt.DeviceIdentity{CompanyCode: nakamawashi.CompanyTopicCode(s.CompanyID), MachineCode: nakamawashi.MachineTopicCode(s.MachineID), DeviceID: s.DeviceID}
	var last telemetry.State = telemetry.NumStates // none yet
	emit := func(st telemetry.State, at time.Time) error {
		if st == last {
			return nil
		}
		now := time.Now()
		if at.IsZero() || at.After(now) {
			at = now
		}
		err := r.Submit(ctx, mqtt.Message{Device: id, Kind: mqtt.KindState, QoS: 1, Received: now,
			Topic: "nakamawashi/v1/" + id.CompanyCode + "/" + id.MachineCode + "/state",
			State: &mqtt.StateReport{State: st, At: at}})
		if err == nil {
			last = st
		}
		return err
	}
	onError := func(err error) { log.Warn("mtconnect", "err", err) }
	if s.AgentURL != "" {
		a, err := mtconnect.NewAgent(s.AgentURL, mtconnect.AgentOptions{AllowedHosts: r.Allow, Device: s.AgentDevice})
		if err != nil {
			return err
		}
		p := &mtconnect.Poller{Agent: a, Interval: r.Interval, OnError: onError}
		var tr mtconnect.StateTracker
		return p.Run(ctx, func(ctx context.Context, b mtconnect.Batch) error {
			if b.Snapshot {
				tr = mtconnect.StateTracker{}
				var at time.Time
				for _, o := range b.Observations {
					if s.AgentDevice == "" || o.Device == s.AgentDevice || o.DeviceUUID == s.AgentDevice {
						tr.Update(o)
						if o.Timestamp.After(at) {
							at = o.Timestamp
						}
					}
				}
				return emit(tr.State(), at)
			}
			for _, o := range b.Observations {
				if s.AgentDevice == "" || o.Device == s.AgentDevice || o.DeviceUUID == s.AgentDevice {
					if err := emit(tr.Update(o), o.Timestamp); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	a, err := mtconnect.NewAdapter(s.AdapterAddr, mtconnect.AdapterOptions{AllowedHosts: r.Allow, OnError: onError})
	if err != nil {
		return err
	}
	var tr mtconnect.StateTracker
	return a.Run(ctx, func(l telemetry.SHDRLine) {
		if err := emit(tr.UpdateSHDR(l, nil), l.Time); err != nil && ctx.Err() == nil {
			log.Warn("mtconnect: storing a state", "err", err)
		}
	})
}
