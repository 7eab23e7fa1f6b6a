package ingest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// DefaultConnections is how many connections to an external broker share
// the subscription by default: each has its own messages in flight.
const DefaultConnections = 4

// DefaultShareGroup is the shared-subscription group of the nakamawashi
// instances, so that an external broker gives each message to one of them.
const DefaultShareGroup = "nakamawashi"

// SharedFilters returns the subscriptions of external mode:
// $share/{group}/nakamawashi/v1/# and $share/{group}/spBv1.0/#.
func SharedFilters(group string) []string {
	return []string{"$share/" + group + "/" + mqtt.Prefix + "/#", "$share/" + group + "/spBv1.0/#"}
}

// external is the connection to an external broker: Connections clients
// with a shared subscription each, reconnecting until closed.
type external struct {
	cfg       ServerConfig
	in        *Ingester
	log       *slog.Logger
	addr      string
	tls       *tls.Config
	ctx       context.Context
	wg        sync.WaitGroup
	mu        sync.Mutex
	clients   []*mqtt.Client
	malformed atomic.Uint64
}

// ParseBrokerURL reads tcp://host:port (1883 by default) or ssl://,
// tls:// or mqtts://host:port (8883 by default).
func ParseBrokerURL(s string) (addr string, useTLS bool, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Path != "" && u.Path != "/" || u.User != nil {
		return "", false, &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: "ingest.ParseBrokerURL",
			Err: fmt.Errorf("broker %q: want tcp://host:1883 or mqtts://host:8883, without user name or password", s)}
	}
	port := "1883"
	switch u.Scheme {
	case "tcp", "mqtt":
	case "ssl", "tls", "mqtts":
		useTLS, port = true, "8883"
	default:
		return "", false, &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: "ingest.ParseBrokerURL",
			Err: fmt.Errorf("broker %q: the scheme must be tcp, mqtt, ssl, tls or mqtts", s)}
	}
	if u.Port() != "" {
		port = u.Port()
	}
	return net.JoinHostPort(u.Hostname(), port), useTLS, nil
}

// dialExternal connects the first time, so that wrong settings show at
// start, and keeps the connections up until ctx ends.
func dialExternal(ctx, run context.Context, cfg ServerConfig, in *Ingester, log *slog.Logger) (*external, error) {
	addr, useTLS, err := ParseBrokerURL(cfg.Broker)
	if err != nil {
		return nil, err
	}
	if cfg.Connections <= 0 {
		cfg.Connections = DefaultConnections
	}
	if cfg.ShareGroup == "" {
		cfg.ShareGroup = DefaultShareGroup
	}
	if cfg.ClientID == "" {
		host, _ := os.Hostname()
		cfg.ClientID = "nakamawashi-" + host
	}
	e := &external{cfg: cfg, in: in, log: log, addr: addr, ctx: run, clients: make([]*mqtt.Client, cfg.Connections)}
	if useTLS {
		e.tls = cfg.TLS
		if e.tls == nil {
			e.tls = &tls.Config{}
		}
	}
	for i := range cfg.Connections {
		c, err := e.connect(ctx, i)
		if err != nil {
			e.close()
			return nil, err
		}
		e.set(i, c)
	}
	for i := range cfg.Connections {
		e.wg.Add(1)
		go e.keep(i)
	}
	log.Info("mqtt: receiving from the external broker", "broker", addr, "connections", cfg.Connections, "filters", SharedFilters(cfg.ShareGroup))
	return e, nil
}

func (e *external) set(i int, c *mqtt.Client) {
	e.mu.Lock()
	e.clients[i] = c
	e.mu.Unlock()
}

func (e *external) connect(ctx context.Context, i int) (*mqtt.Client, error) {
	var c *mqtt.Client
	// A persistent session's messages may come before Dial returns c.
	ready := make(chan struct{})
	c, err := mqtt.Dial(ctx, mqtt.ClientConfig{
		Addr: e.addr, TLS: e.tls, ClientID: e.cfg.ClientID + "-" + strconv.Itoa(i),
		Username: e.cfg.Username, Password: e.cfg.Password, Persistent: true, MaxInflight: 64,
		OnMessage: func(m mqtt.Received, ack func()) { <-ready; e.receive(c, m, ack) },
	})
	close(ready)
	if err != nil {
		return nil, err
	}
	if err := c.Subscribe(ctx, SharedFilters(e.cfg.ShareGroup)...); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// keep reconnects connection i whenever it ends, backing off up to 30 s.
func (e *external) keep(i int) {
	defer e.wg.Done()
	wait := time.Second
	for {
		e.mu.Lock()
		c := e.clients[i]
		e.mu.Unlock()
		if c != nil {
			select {
			case <-c.Done():
				e.log.Warn("mqtt: connection to the external broker lost", "broker", e.addr, "error", c.Err())
			case <-e.ctx.Done():
				return
			}
		}
		select {
		case <-time.After(wait):
		case <-e.ctx.Done():
			return
		}
		c, err := e.connect(e.ctx, i)
		if err != nil {
			e.log.Warn("mqtt: cannot reconnect to the external broker", "broker", e.addr, "error", err)
			wait = min(2*wait, 30*time.Second)
			e.set(i, nil)
			continue
		}
		wait = time.Second
		e.set(i, c)
	}
}

// receive ingests one message and acknowledges it once durable. A message
// the store refused is not acknowledged: the connection is dropped, so
// that the broker sends it again on the next.
func (e *external) receive(c *mqtt.Client, r mqtt.Received, ack func()) {
	m, err := mqtt.DecodeMessage(r.Topic, r.Payload, time.Now())
	if err != nil {
		if n := e.malformed.Add(1); n == 1 || n%1000 == 0 {
			e.log.Warn("mqtt: malformed message from the external broker", "topic", r.Topic, "error", err, "malformed_total", n)
		}
		ack()
		return
	}
	m.QoS, m.Retain = r.QoS, r.Retain
	p, err := e.in.Submit(e.ctx, m)
	if err != nil {
		e.refused(c, r.Topic, err, ack)
		return
	}
	if p == nil {
		ack()
		return
	}
	go func() {
		if err := p.Wait(e.ctx); err != nil {
			e.refused(c, r.Topic, err, ack)
			return
		}
		ack()
	}()
}

// refused handles a message the ingest did not take. One it never will
// (no such machine, a bad interval) is logged and acknowledged, so that it
// does not hold a place in flight for ever.
func (e *external) refused(c *mqtt.Client, topic string, err error, ack func()) {
	switch nakamawashi.ErrorCode(err) {
	case nakamawashi.EINVALID, nakamawashi.ENOTFOUND, nakamawashi.EFORBIDDEN:
		e.log.Warn("mqtt: message dropped: no machine takes it", "topic", topic, "error", err)
		ack()
		return
	}
	e.log.Error("mqtt: message not stored; reconnecting for its redelivery", "topic", topic, "error", err)
	if c != nil {
		c.Drop()
	}
}

// publish sends a message through any live connection.
func (e *external) publish(topic string, payload []byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.clients {
		if c != nil && c.Err() == nil {
			return c.Publish(e.ctx, topic, payload, 0, false)
		}
	}
	return errors.New("mqtt: no connection to the external broker")
}

func (e *external) close() error {
	e.mu.Lock()
	for _, c := range e.clients {
		if c != nil {
			c.Close()
		}
	}
	e.mu.Unlock()
	e.wg.Wait()
	return nil
}
