package mqtt

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/nakamawashi/nakamawashi"
)

// ClientConfig configures a Client.
type ClientConfig struct {
	// Addr is the broker's host:port.
	Addr string
	// TLS, when set, connects with TLS.
	TLS *tls.Config
	// ClientID is the MQTT client id; the broker picks one when empty
	// (MQTT 5) or the connection is refused (3.1.1 brokers may).
	ClientID           string
	Username, Password string
	// Version is the protocol: 4 (MQTT 3.1.1, the default) or 5.
	Version byte
	// Keepalive is how often the client pings an idle connection;
	// DefaultKeepalive when zero.
	Keepalive time.Duration
	// Persistent asks the broker to keep the session (and the messages
	// of QoS 1 subscriptions) while the client is away.
	Persistent bool
	// Will is published by the broker when the connection is lost.
	Will *Will
	// OnMessage receives the publishes of the client's subscriptions, in
	// the order they arrive, from the connection's reading goroutine. It
	// must call ack, at once or later and from any goroutine, once the
	// message is taken care of: for QoS 1 the PUBACK is sent then. It
	// must not block for long: the next message waits.
	OnMessage func(m Received, ack func())
	// MaxInflight bounds the QoS 1 publishes awaiting their PUBACK;
	// Publish waits for room. 16 when zero.
	MaxInflight int
	// DialTimeout bounds the connection and the CONNACK; 10 s when zero.
	DialTimeout time.Duration
	// Dialer, when set, opens the connection to Addr instead of TCP (and
	// TLS); tests give it one end of a net.Pipe.
	Dialer func(ctx context.Context, addr string) (net.Conn, error)
}

// Will is a last will.
type Will struct {
	Topic   string
	Payload []byte
	QoS     byte
	Retain  bool
}

// Received is a message a Client received for one of its subscriptions.
type Received struct {
	Topic   string
	Payload []byte
	QoS     byte
	Retain  bool
}

// DefaultKeepalive is the keepalive of a Client and the longest the
// embedded broker grants (Config.MaxKeepalive).
const DefaultKeepalive = 30 * time.Second

// ErrConnectionLost is returned for publishes that were under way when
// the connection ended: they may or may not have reached the broker.
var ErrConnectionLost = errors.New("mqtt: connection lost")

// Client is a small MQTT 3.1.1 and 5 client: what a device, the load
// generator of the benchmark and the external-broker mode need (connect
// with credentials and a will, publish at QoS 0 and 1 with a window of
// messages in flight, subscribe at QoS 1 with acknowledgements given by
// the application, keepalive). It does not reconnect: a caller that wants
// to goes on with a new Client once Done is closed.
type Client struct {
	cfg  ClientConfig
	conn net.Conn

	wmu sync.Mutex // serializes writes
	buf bytes.Buffer

	mu       sync.Mutex
	nextID   uint16
	inflight map[uint16]func(code byte, ok bool) // awaiting PUBACK or SUBACK
	err      error
	slots    chan struct{}
	done     chan struct{}
	lastSend time.Time
}

// Dial connects to the broker and logs in. A refused login is an
// EUNAUTHORIZED error; anything else that stops the connection is
// EUNAVAILABLE.
func Dial(ctx context.Context, cfg ClientConfig) (*Client, error) {
	const op = "mqtt.Dial"
	if cfg.Version == 0 {
		cfg.Version = 4
	}
	if cfg.Keepalive == 0 {
		cfg.Keepalive = DefaultKeepalive
	}
	if cfg.MaxInflight <= 0 {
		cfg.MaxInflight = 16
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = 10 * time.Second
	}
	if cfg.Version != 4 && cfg.Version != 5 {
		return nil, invalid(op, "protocol version %d: want 4 (3.1.1) or 5", cfg.Version)
	}
	unavailable := func(err error) error {
		return &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: op, Err: fmt.Errorf("MQTT broker %s: %w", cfg.Addr, err)}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	d := net.Dialer{}
	var conn net.Conn
	var err error
	if cfg.Dialer != nil {
		conn, err = cfg.Dialer(ctx, cfg.Addr)
	} else if cfg.TLS != nil {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: cfg.TLS}).DialContext(ctx, "tcp", cfg.Addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", cfg.Addr)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	c := &Client{cfg: cfg, conn: conn, inflight: map[uint16]func(byte, bool){},
		slots: make(chan struct{}, cfg.MaxInflight), done: make(chan struct{})}
	connect := packets.Packet{
		FixedHeader:     packets.FixedHeader{Type: packets.Connect},
		ProtocolVersion: cfg.Version,
		Connect: packets.ConnectParams{
			ProtocolName: []byte("MQTT"), Clean: !cfg.Persistent,
			Keepalive: uint16(cfg.Keepalive / time.Second), ClientIdentifier: cfg.ClientID,
			UsernameFlag: cfg.Username != "", Username: []byte(cfg.Username),
			PasswordFlag: cfg.Password != "", Password: []byte(cfg.Password),
		},
	}
	if cfg.Persistent && cfg.Version == 5 {
		connect.Properties.SessionExpiryInterval = uint32(SessionExpiry / time.Second)
		connect.Properties.SessionExpiryIntervalFlag = true
	}
	if w := cfg.Will; w != nil {
		connect.Connect.WillFlag, connect.Connect.WillTopic, connect.Connect.WillPayload = true, w.Topic, w.Payload
		connect.Connect.WillQos, connect.Connect.WillRetain = w.QoS, w.Retain
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	r := bufio.NewReaderSize(conn, 4096)
	if err := c.write(connect); err != nil {
		conn.Close()
		return nil, unavailable(err)
	}
	pk, err := readPacket(r, cfg.Version)
	if err != nil {
		conn.Close()
		return nil, unavailable(err)
	}
	if pk.FixedHeader.Type != packets.Connack {
		conn.Close()
		return nil, unavailable(fmt.Errorf("got packet type %d instead of CONNACK", pk.FixedHeader.Type))
	}
	if pk.ReasonCode != 0 {
		conn.Close()
		code := nakamawashi.EUNAVAILABLE
		// 3.1.1: 4 bad user name or password, 5 not authorized; 5: 0x86, 0x87.
		if pk.ReasonCode == 4 || pk.ReasonCode == 5 || pk.ReasonCode == 0x86 || pk.ReasonCode == 0x87 {
			code = nakamawashi.EUNAUTHORIZED
		}
		return nil, &nakamawashi.Error{Code: code, Op: op, Err: fmt.Errorf("MQTT broker %s refused the connection: reason code %#x", cfg.Addr, pk.ReasonCode)}
	}
	if pk.Properties.ServerKeepAliveFlag && pk.Properties.ServerKeepAlive > 0 {
		c.cfg.Keepalive = time.Duration(pk.Properties.ServerKeepAlive) * time.Second
	}
	conn.SetDeadline(time.Time{})
	go c.readLoop(r)
	go c.pingLoop()
	return c, nil
}

// Done is closed when the connection has ended; Err tells why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended, nil while it is up.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close sends DISCONNECT (so the broker discards the will) and closes the
// connection.
func (c *Client) Close() error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.write(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Disconnect}})
	c.fail(errors.New("mqtt: client closed"))
	return nil
}

// Drop closes the connection without DISCONNECT, as a device that loses
// its network does: the broker publishes the will.
func (c *Client) Drop() { c.fail(errors.New("mqtt: connection dropped")) }

func (c *Client) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	c.conn.Close()
	waiting := c.inflight
	c.inflight = map[uint16]func(byte, bool){}
	close(c.done)
	go func() {
		for _, f := range waiting {
			f(0, false)
		}
	}()
}

// PublishAsync sends a publish. For QoS 0 done is called with the result
// of the write; for QoS 1 once the PUBACK has come (nil for a success
// code, an error with the code otherwise, ErrConnectionLost when the
// connection ended first). It waits while MaxInflight publishes are
// awaiting their PUBACK.
func (c *Client) PublishAsync(ctx context.Context, topic string, payload []byte, qos byte, retain bool, done func(error)) {
	pk := packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Publish, Qos: qos, Retain: retain},
		TopicName:   topic, Payload: payload,
	}
	if qos == 0 {
		done(c.write(pk))
		return
	}
	if qos > 1 {
		done(invalid("mqtt.Publish", "QoS %d: the client publishes at QoS 0 and 1", qos))
		return
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		done(ctx.Err())
		return
	case <-c.done:
		done(ErrConnectionLost)
		return
	}
	id, err := c.register(func(code byte, ok bool) {
		<-c.slots
		switch {
		case !ok:
			done(ErrConnectionLost)
		case code >= 0x80:
			done(&nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: "mqtt.Publish", Err: fmt.Errorf("broker answered PUBACK %#x", code)})
		default:
			done(nil)
		}
	})
	if err != nil {
		<-c.slots
		done(err)
		return
	}
	pk.PacketID = id
	if err := c.write(pk); err != nil {
		c.fail(err)
	}
}

// Publish sends a publish and, for QoS 1, waits for its PUBACK.
func (c *Client) Publish(ctx context.Context, topic string, payload []byte, qos byte, retain bool) error {
	ch := make(chan error, 1)
	c.PublishAsync(ctx, topic, payload, qos, retain, func(err error) { ch <- err })
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Subscribe subscribes to the filters at QoS 1 and waits for the SUBACK;
// a refused filter is an error.
func (c *Client) Subscribe(ctx context.Context, filters ...string) error {
	type result struct {
		code byte
		ok   bool
	}
	ch := make(chan result, 1)
	id, err := c.register(func(code byte, ok bool) { ch <- result{code, ok} })
	if err != nil {
		return err
	}
	pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Subscribe, Qos: 1}, PacketID: id}
	for _, f := range filters {
		pk.Filters = append(pk.Filters, packets.Subscription{Filter: f, Qos: 1})
	}
	if err := c.write(pk); err != nil {
		c.fail(err)
		return ErrConnectionLost
	}
	select {
	case r := <-ch:
		if !r.ok {
			return ErrConnectionLost
		}
		if r.code >= 0x80 {
			return &nakamawashi.Error{Code: nakamawashi.EFORBIDDEN, Op: "mqtt.Subscribe",
				Err: fmt.Errorf("broker refused the subscription to %q: reason code %#x", filters, r.code)}
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// register reserves a packet id for a packet whose answer f takes.
func (c *Client) register(f func(code byte, ok bool)) (uint16, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, ErrConnectionLost
	}
	for range 1 << 16 {
		c.nextID++
		if c.nextID == 0 {
			c.nextID = 1
		}
		if _, used := c.inflight[c.nextID]; !used {
			c.inflight[c.nextID] = f
			return c.nextID, nil
		}
	}
	return 0, errors.New("mqtt: no free packet id")
}

func (c *Client) complete(id uint16, code byte) {
	c.mu.Lock()
	f := c.inflight[id]
	delete(c.inflight, id)
	c.mu.Unlock()
	if f != nil {
		f(code, true)
	}
}

func (c *Client) write(pk packets.Packet) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.buf.Reset()
	pk.ProtocolVersion = c.cfg.Version
	var err error
	switch pk.FixedHeader.Type {
	case packets.Connect:
		err = pk.ConnectEncode(&c.buf)
	case packets.Publish:
		err = pk.PublishEncode(&c.buf)
	case packets.Puback:
		err = pk.PubackEncode(&c.buf)
	case packets.Subscribe:
		err = pk.SubscribeEncode(&c.buf)
	case packets.Pingreq:
		err = pk.PingreqEncode(&c.buf)
	case packets.Disconnect:
		err = pk.DisconnectEncode(&c.buf)
	default:
		err = fmt.Errorf("mqtt: the client does not send packet type %d", pk.FixedHeader.Type)
	}
	if err != nil {
		return err
	}
	_, err = c.conn.Write(c.buf.Bytes())
	c.mu.Lock()
	c.lastSend = time.Now()
	c.mu.Unlock()
	return err
}

func (c *Client) readLoop(r *bufio.Reader) {
	for {
		// The broker must say something within 1.5 keepalives: at least
		// the PINGRESP.
		c.conn.SetReadDeadline(time.Now().Add(c.cfg.Keepalive * 3 / 2))
		pk, err := readPacket(r, c.cfg.Version)
		if err != nil {
			c.fail(fmt.Errorf("%w: %v", ErrConnectionLost, err))
			return
		}
		switch pk.FixedHeader.Type {
		case packets.Puback:
			c.complete(pk.PacketID, pk.ReasonCode)
		case packets.Suback:
			code := byte(0)
			for _, rc := range pk.ReasonCodes {
				code = max(code, rc)
			}
			c.complete(pk.PacketID, code)
		case packets.Publish:
			c.received(pk)
		case packets.Disconnect:
			c.fail(fmt.Errorf("%w: the broker disconnected with reason code %#x", ErrConnectionLost, pk.ReasonCode))
			return
		}
	}
}

func (c *Client) received(pk packets.Packet) {
	m := Received{Topic: pk.TopicName, Payload: pk.Payload, QoS: pk.FixedHeader.Qos, Retain: pk.FixedHeader.Retain}
	var once sync.Once
	ack := func() {
		once.Do(func() {
			if m.QoS == 1 {
				if err := c.write(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Puback}, PacketID: pk.PacketID}); err != nil {
					c.fail(err)
				}
			}
		})
	}
	if c.cfg.OnMessage == nil {
		ack()
		return
	}
	c.cfg.OnMessage(m, ack)
}

func (c *Client) pingLoop() {
	t := time.NewTicker(c.cfg.Keepalive / 2)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.mu.Lock()
			idle := time.Since(c.lastSend)
			c.mu.Unlock()
			if idle >= c.cfg.Keepalive/2 {
				if err := c.write(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Pingreq}}); err != nil {
					c.fail(err)
					return
				}
			}
		}
	}
}

// readPacket reads one packet.
func readPacket(r *bufio.Reader, version byte) (packets.Packet, error) {
	var pk packets.Packet
	b, err := r.ReadByte()
	if err != nil {
		return pk, err
	}
	if err := pk.FixedHeader.Decode(b); err != nil {
		return pk, err
	}
	n, _, err := packets.DecodeLength(r)
	if err != nil {
		return pk, err
	}
	if n > MaxPacketSize {
		return pk, fmt.Errorf("packet of %d bytes, at most %d", n, MaxPacketSize)
	}
	pk.FixedHeader.Remaining = n
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return pk, err
	}
	pk.ProtocolVersion = version
	switch pk.FixedHeader.Type {
	case packets.Connack:
		err = pk.ConnackDecode(body)
	case packets.Puback:
		err = pk.PubackDecode(body)
	case packets.Suback:
		err = pk.SubackDecode(body)
	case packets.Publish:
		err = pk.PublishDecode(body)
	case packets.Disconnect:
		err = pk.DisconnectDecode(body)
	case packets.Pingresp:
	default:
		err = fmt.Errorf("unexpected packet type %d", pk.FixedHeader.Type)
	}
	return pk, err
}
