package ingest

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// DeviceStore is what a Server needs of the store: the devices' logins
// and the intervals.
type DeviceStore interface {
	Store
	AuthenticateDevice(ctx context.Context, username, password string) (*nakamawashi.Device, error)
}

// ServerConfig configures a Server: the embedded broker, or, when Broker
// is set, the connection to an external one.
type ServerConfig struct {
	Store  DeviceStore
	Logger *slog.Logger
	// Ingest configures the Ingester; its Store, Logger and Publish are
	// set by the Server.
	Ingest Config

	// The embedded broker (mqtt.Config).
	Addr         string
	WSAddr       string
	TLSAddr      string
	TLS          *tls.Config
	MaxKeepalive time.Duration
	// MaxInflight is how many QoS 1 publishes of one device may await
	// their PUBACK (mqtt.Config.MaxInflight).
	MaxInflight int

	// External mode: the broker's URL (tcp://host:1883, or ssl:// or
	// mqtts:// for TLS), the credentials of nakamawashi's own login there,
	// and how many connections share the subscription (DefaultConnections
	// when zero).
	Broker      string
	Username    string
	Password    string
	ClientID    string
	Connections int
	// ShareGroup names the shared subscription; DefaultShareGroup when
	// empty. Instances of one network share one group.
	ShareGroup string
}

// Server receives the devices' messages, from the embedded broker or an
// external one, and ingests them.
type Server struct {
	Ingester *Ingester
	Broker   *mqtt.Broker // nil in external mode
	external *external
	log      *slog.Logger
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// Open starts the ingest and the broker (or the connection to the external
// broker). An embedded broker's address in use is an EUNAVAILABLE error
// that says so and what to do (see mqtt.Broker.Start).
func Open(ctx context.Context, cfg ServerConfig) (*Server, error) {
	if cfg.Store == nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: "ingest.Open", Err: errors.New("a Store is required")}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{log: log}
	icfg := cfg.Ingest
	icfg.Store, icfg.Logger = cfg.Store, log
	icfg.Publish = func(topic string, payload []byte) error {
		switch {
		case s.Broker != nil:
			return s.Broker.Publish(topic, payload, false, 0)
		case s.external != nil:
			return s.external.publish(topic, payload)
		}
		return nil
	}
	in, err := New(icfg)
	if err != nil {
		return nil, err
	}
	s.Ingester = in
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel

	if cfg.Broker != "" {
		ext, err := dialExternal(ctx, runCtx, cfg, in, log)
		if err != nil {
			cancel()
			in.Close()
			return nil, err
		}
		s.external = ext
	} else {
		b, err := mqtt.NewBroker(mqtt.Config{
			Addr: cfg.Addr, WSAddr: cfg.WSAddr, TLSAddr: cfg.TLSAddr, TLS: cfg.TLS,
			Auth: deviceAuth{cfg.Store}, Handler: in.Handle, Submit: in.submitAck, Logger: log,
			MaxQueue: in.cfg.Queue, MaxInflight: cfg.MaxInflight, MaxKeepalive: cfg.MaxKeepalive, ReportLost: true,
		})
		if err == nil {
			err = b.Start(ctx)
		}
		if err != nil {
			cancel()
			in.Close()
			if b != nil {
				b.Close()
			}
			return nil, err
		}
		s.Broker = b
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				in.Tick(runCtx)
			}
		}
	}()
	return s, nil
}

// Addr returns the embedded broker's TCP address, with the port the
// system chose for ":0"; empty in external mode.
func (s *Server) Addr() string {
	if s.Broker == nil {
		return ""
	}
	return s.Broker.Addr()
}

// Close stops the broker (or the external connections), then the ingest
// once it has committed what it had queued.
func (s *Server) Close() error {
	s.cancel()
	var errs []error
	if s.Broker != nil {
		errs = append(errs, s.Broker.Close())
	}
	if s.external != nil {
		errs = append(errs, s.external.close())
	}
	s.wg.Wait()
	errs = append(errs, s.Ingester.Close())
	return errors.Join(errs...)
}

// DeviceAuth returns the broker's Authenticator of devices, from the store.
func DeviceAuth(store DeviceStore) mqtt.Authenticator { return deviceAuth{store} }

// deviceAuth checks device logins against the store for the broker.
type deviceAuth struct{ store DeviceStore }

func (a deviceAuth) AuthenticateDevice(ctx context.Context, username, password string) (*mqtt.DeviceIdentity, error) {
	d, err := a.store.AuthenticateDevice(ctx, username, password)
	if err != nil {
		return nil, err
	}
	company, machine := d.Topic()
	return &mqtt.DeviceIdentity{CompanyCode: company, MachineCode: machine, DeviceID: d.ID}, nil
}
