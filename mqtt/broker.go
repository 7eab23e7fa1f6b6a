package mqtt

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sparkplug"
)

// Defaults of Config.
const (
	DefaultAddr     = ":1883"
	DefaultMaxQueue = 64
	// DefaultMaxInflight is a device's window with Submit: enough for
	// the store to see thousands of messages per transaction from a
	// thousand devices, few enough that they do not wait long.
	DefaultMaxInflight = 8
)

// Limits the broker sets on every connection.
const (
	MaxPacketSize    = 1 << 20        // a Sparkplug birth with many metrics fits
	SessionExpiry    = 24 * time.Hour // a disconnected persistent session is kept this long
	authTimeout      = 10 * time.Second
	maxWritesPending = 128              // messages queued for one device (commands)
	logEvery         = 10 * time.Second // per device, for malformed and refused publishes
)

// Config configures a Broker.
type Config struct {
	// Addr is the TCP address to listen on: DefaultAddr when empty, ":0"
	// or "127.0.0.1:0" for any free port (Addr tells which).
	Addr string
	// Auth checks the credentials of every connecting device. Required.
	Auth Authenticator
	// Handler takes every accepted publish and every last will. It is
	// called in the publishing device's connection, one message at a time
	// per device; for QoS 1 and 2 the acknowledgement is sent only after
	// it returned nil, so it must return only once the message is durable.
	// It may be called from many devices at once (at most MaxQueue
	// calls), which is what lets it commit them together. Its context is
	// cancelled by Close. Required.
	Handler func(ctx context.Context, m Message) error
	// Submit, when set, takes the devices' QoS 0 and 1 publishes instead
	// of Handler (which still takes QoS 2 publishes, wills and lost
	// connections). It is called in the publishing device's connection,
	// one message at a time per device, in the order they arrived, and
	// must return once the message has its place: the returned Ack tells
	// when it is durable (nil when it is already). The PUBACK of a QoS 1
	// publish is sent only then, by another goroutine, while the
	// connection reads its next publishes: a device may have up to
	// MaxInflight publishes awaiting their PUBACKs, which leave in the
	// order the publishes came. An error, or an Ack that ends with one,
	// is answered as a Handler's error is.
	Submit func(ctx context.Context, m Message) (Ack, error)
	// MaxInflight is how many QoS 1 publishes of one connection may await
	// their PUBACK with Submit (MQTT 5 devices are told so as the
	// broker's Receive Maximum); DefaultMaxInflight when zero. A device
	// that sends more waits, its connection unread, until one is durable.
	MaxInflight int
	// Logger receives the broker's logs; none when nil.
	Logger *slog.Logger
	// MaxQueue is how many messages may be in Handler at once, or waiting
	// for their Ack with Submit, across all devices; DefaultMaxQueue when
	// zero. A device whose message finds
	// the queue full waits, without reading further packets from its
	// connection, so a slow Handler slows the devices down instead of
	// filling memory.
	MaxQueue int
	// MaxKeepalive is the longest keepalive a device gets; DefaultKeepalive
	// when zero. A device that asks for none or a longer one gets this
	// (MQTT 5 devices are told so in the CONNACK), and a connection
	// silent for 1.5 times it is closed: a device that dies without a
	// word is offline within 45 seconds by default.
	MaxKeepalive time.Duration
	// ReportLost, when set, reports to the Handler every device whose
	// connection ends without a will, as a status "offline" with
	// Message.Lost set, so that a device without a will goes offline too.
	ReportLost bool
	// WSAddr, when set, also serves MQTT over WebSocket on this address
	// (path /mqtt or any other).
	WSAddr string
	// TLSAddr, when set with TLS, also serves MQTT over TLS on this
	// address (the standard port is 8883).
	TLSAddr string
	TLS     *tls.Config
}

// Validate fills in the defaults and checks the rest.
func (c *Config) Validate() error {
	const op = "mqtt.Config"
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxQueue == 0 {
		c.MaxQueue = DefaultMaxQueue
	}
	if c.MaxKeepalive == 0 {
		c.MaxKeepalive = DefaultKeepalive
	}
	if c.MaxInflight == 0 {
		c.MaxInflight = DefaultMaxInflight
	}
	switch {
	case c.Auth == nil:
		return invalid(op, "an Authenticator is required")
	case c.Handler == nil:
		return invalid(op, "a Handler is required")
	case c.MaxQueue < 0:
		return invalid(op, "MaxQueue %d is negative", c.MaxQueue)
	case c.MaxInflight < 0 || c.MaxInflight > 65535:
		return invalid(op, "MaxInflight %d: want 1 to 65535", c.MaxInflight)
	case c.MaxKeepalive < time.Second || c.MaxKeepalive > 65535*time.Second:
		return invalid(op, "MaxKeepalive %s: want 1s to 65535s", c.MaxKeepalive)
	case c.TLSAddr != "" && c.TLS == nil:
		return invalid(op, "TLSAddr %s needs a TLS configuration (certificate and key)", c.TLSAddr)
	}
	return nil
}

// Message is one publish of a device, or its last will, as the broker
// hands it to the Handler. Exactly one of State, Light, Count, Status and
// Sparkplug is set, by the topic.
type Message struct {
	Device   DeviceIdentity
	ClientID string // the MQTT client id the device chose
	Topic    string
	QoS      byte
	Retain   bool
	Will     bool // the broker published it as the device's last will
	// Lost is set on the status "offline" the broker reports for a device
	// whose connection ended without a will: lost (keepalive, network)
	// or closed by the device. Topic is then the device's status topic.
	Lost     bool
	Received time.Time // when the broker read it
	Payload  []byte    // as published; shared, never to be modified

	// Kind is the kind of a nakamawashi/v1 topic, empty for Sparkplug.
	// The reports' At is the device's time, or Received when it sent
	// none.
	Kind   Kind
	State  *StateReport
	Light  *LightReport
	Count  *CountReport
	Status *StatusReport

	Sparkplug *SparkplugMessage
}

// SparkplugMessage is a Sparkplug B message: the parsed topic and the
// decoded payload. Sequence numbers and aliases are the consumer's to
// follow (sparkplug.Tracker).
type SparkplugMessage struct {
	Topic   sparkplug.Topic
	Payload *sparkplug.Payload
}

// Broker is an embedded MQTT broker (mochi-mqtt v2) for the devices of the
// network. See the package documentation for what it checks and when it
// acknowledges.
type Broker struct {
	cfg    Config
	log    *slog.Logger
	server *mochi.Server
	tcp    *listeners.TCP
	ws     *listeners.Websocket
	tls    *listeners.TCP
	ctx    context.Context // the Handler's; cancelled by Close
	cancel context.CancelFunc
	queue  chan struct{} // a token per message in Handler

	mu      sync.Mutex
	started bool
	closing bool
	calls   sync.WaitGroup // Handler calls under way

	sessions sync.Map // *mochi.Client → *session
	stats    stats
}

// session is what the broker knows of a connected device.
type session struct {
	id       DeviceIdentity
	clientID string
	willSent atomic.Bool // the will went to the Handler
	acks     acks        // PUBACKs owed, with Submit
}

// errClosed refuses messages that arrive while the broker closes.
var errClosed = errors.New("mqtt: broker is closing")

// NewBroker returns a broker that is not listening yet.
func NewBroker(cfg Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Broker{cfg: cfg, log: log, queue: make(chan struct{}, cfg.MaxQueue)}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	b.stats.devices = make(map[int64]*deviceStats)

	caps := mochi.NewDefaultServerCapabilities()
	caps.MaximumPacketSize = MaxPacketSize
	caps.MaximumSessionExpiryInterval = uint32(SessionExpiry / time.Second)
	caps.MaximumClientWritesPending = maxWritesPending
	if cfg.Submit != nil {
		caps.ReceiveMaximum = uint16(cfg.MaxInflight)
	}
	b.server = mochi.New(&mochi.Options{
		Capabilities: caps,
		InlineClient: true, // for Publish
		Logger:       log.With("component", "mochi"),
	})
	if err := b.server.AddHook(&hook{b: b}, nil); err != nil {
		return nil, nakamawashi.Internal("mqtt.NewBroker", err)
	}
	return b, nil
}

// Start listens on Config.Addr and serves devices until Close. ctx bounds
// the start only. An address in use is an EUNAVAILABLE error that says so
// and what to do; it matches syscall.EADDRINUSE with errors.Is.
func (b *Broker) Start(ctx context.Context) error {
	const op = "mqtt.Start"
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started || b.closing {
		return &nakamawashi.Error{Code: nakamawashi.ECONFLICT, Op: op, Err: errors.New("broker already started or closed")}
	}
	tcp := listeners.NewTCP(listeners.Config{Type: listeners.TypeTCP, ID: "tcp", Address: b.cfg.Addr})
	if err := b.server.AddListener(tcp); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: fmt.Errorf(
				"MQTT address %s is already in use, perhaps by another broker such as Mosquitto: "+
					"give the embedded broker another port (--mqtt-addr :1884) or let the devices use "+
					"that broker in external mode: %w", b.cfg.Addr, err)}
		}
		return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: fmt.Errorf("listen on MQTT address %s: %w", b.cfg.Addr, err)}
	}
	b.tcp = tcp
	if b.cfg.WSAddr != "" {
		ws := listeners.NewWebsocket(listeners.Config{Type: listeners.TypeWS, ID: "ws", Address: b.cfg.WSAddr})
		if err := b.server.AddListener(ws); err != nil {
			b.server.Close()
			return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: fmt.Errorf("listen on MQTT WebSocket address %s: %w", b.cfg.WSAddr, err)}
		}
		b.ws = ws
	}
	if b.cfg.TLSAddr != "" {
		tl := listeners.NewTCP(listeners.Config{Type: listeners.TypeTCP, ID: "tls", Address: b.cfg.TLSAddr, TLSConfig: b.cfg.TLS})
		if err := b.server.AddListener(tl); err != nil {
			b.server.Close()
			return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: fmt.Errorf("listen on MQTT TLS address %s: %w", b.cfg.TLSAddr, err)}
		}
		b.tls = tl
	}
	if err := b.server.Serve(); err != nil {
		return nakamawashi.Internal(op, err)
	}
	b.started = true
	b.log.Info("mqtt broker listening", "addr", tcp.Address())
	return nil
}

// Addr returns the address the broker listens on: with a port chosen by
// the system for ":0". Before Start it is Config.Addr.
func (b *Broker) Addr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tcp == nil {
		return b.cfg.Addr
	}
	return b.tcp.Address()
}

// Close stops listening, cancels the context of Handler calls under way,
// disconnects every device and waits until no Handler call runs. The last
// wills of the devices it disconnects go to their subscribers but not to
// Handler: the broker going down does not take the machines offline.
func (b *Broker) Close() error {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return nil
	}
	b.closing = true
	started := b.started
	b.mu.Unlock()

	b.cancel()
	var err error
	if started {
		err = b.server.Close() // waits for every client's goroutine
	}
	b.calls.Wait()
	return err
}

// Publish sends a message from the application, e.g. a command to
// nakamawashi/v1/{company}/{machine}/cmd. It is not subject to the ACL.
func (b *Broker) Publish(topic string, payload []byte, retain bool, qos byte) error {
	if b.isClosing() {
		return errClosed
	}
	if err := b.server.Publish(topic, payload, retain, qos); err != nil {
		return nakamawashi.Internal("mqtt.Publish", err)
	}
	return nil
}

func (b *Broker) isClosing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}

// handle passes m to the Handler, waiting for room in the queue.
func (b *Broker) handle(m Message) (err error) {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return errClosed
	}
	b.calls.Add(1)
	b.mu.Unlock()
	defer b.calls.Done()

	select {
	case b.queue <- struct{}{}:
	case <-b.ctx.Done():
		return errClosed
	}
	defer func() { <-b.queue }()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mqtt: handler panicked: %v", r)
		}
	}()
	return b.cfg.Handler(b.ctx, m)
}

// submit passes m to Submit, waiting for a token of the queue, which it
// keeps when it returns an Ack: the caller returns it once the Ack is done.
func (b *Broker) submit(m Message) (ack Ack, err error) {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return nil, errClosed
	}
	b.calls.Add(1)
	b.mu.Unlock()
	defer b.calls.Done()

	select {
	case b.queue <- struct{}{}:
	case <-b.ctx.Done():
		return nil, errClosed
	}
	defer func() {
		if r := recover(); r != nil {
			ack, err = nil, fmt.Errorf("mqtt: submit panicked: %v", r)
		}
		if err != nil {
			ack = nil
		}
		if ack == nil {
			<-b.queue
		}
	}()
	return b.cfg.Submit(b.ctx, m)
}

// DecodeMessage parses a message that came through another broker, whose
// device identity is taken from the topic: the company and machine codes
// of a nakamawashi/v1 topic, or the group and edge node ids of a
// Sparkplug topic (DeviceID is 0). That broker must have checked that the
// device may publish there. A topic of another form or a payload the
// decoders refuse is an EINVALID error.
func DecodeMessage(topic string, payload []byte, received time.Time) (Message, error) {
	var id DeviceIdentity
	if t, err := ParseTopic(topic); err == nil {
		id.CompanyCode, id.MachineCode = t.Company, t.Machine
	} else if t, err := sparkplug.ParseTopic(topic); err == nil {
		id.CompanyCode, id.MachineCode = t.GroupID, t.EdgeNodeID
	} else {
		return Message{Topic: topic, Received: received}, invalid("mqtt.DecodeMessage", "topic %q is neither %s/… nor %s/…", topic, Prefix, sparkplug.Namespace)
	}
	return decode(&session{id: id}, topic, payload, received)
}

// decode parses the topic and payload of a publish from s.
func decode(s *session, topic string, payload []byte, now time.Time) (Message, error) {
	m := Message{Device: s.id, ClientID: s.clientID, Topic: topic, Payload: payload, Received: now}
	stamp := func(t *time.Time) {
		if t.IsZero() {
			*t = now
		}
	}
	if t, err := ParseTopic(topic); err == nil {
		m.Kind = t.Kind
		switch t.Kind {
		case KindState:
			r, err := DecodeState(payload)
			if err != nil {
				return m, err
			}
			stamp(&r.At)
			m.State = &r
		case KindLight:
			r, err := DecodeLight(payload)
			if err != nil {
				return m, err
			}
			stamp(&r.At)
			m.Light = &r
		case KindCount:
			r, err := DecodeCount(payload)
			if err != nil {
				return m, err
			}
			stamp(&r.At)
			m.Count = &r
		case KindStatus:
			r, err := DecodeStatus(payload)
			if err != nil {
				return m, err
			}
			stamp(&r.At)
			m.Status = &r
		default:
			return m, invalid("mqtt.decode", "topic %q is not published by devices", topic)
		}
		return m, nil
	}
	t, err := sparkplug.ParseTopic(topic)
	if err != nil {
		return m, err
	}
	p, err := sparkplug.DecodePayload(payload)
	if err != nil {
		return m, err
	}
	m.Sparkplug = &SparkplugMessage{Topic: t, Payload: p}
	return m, nil
}
