package mqtt_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// The devices every broker test knows: username → secret and identity.
var testDevices = map[string]struct {
	secret string
	id     mqtt.DeviceIdentity
}{
	"dev1": {"secret1", mqtt.DeviceIdentity{CompanyCode: "c1", MachineCode: "m1", DeviceID: 1}},
	"dev2": {"secret2", mqtt.DeviceIdentity{CompanyCode: "c1", MachineCode: "m2", DeviceID: 2}},
	"dev3": {"secret3", mqtt.DeviceIdentity{CompanyCode: "c2", MachineCode: "m1", DeviceID: 3}},
}

type testAuth struct{}

func (testAuth) AuthenticateDevice(ctx context.Context, user, pass string) (*mqtt.DeviceIdentity, error) {
	d, ok := testDevices[user]
	if !ok || d.secret != pass {
		return nil, &nakamawashi.Error{Code: nakamawashi.EUNAUTHORIZED, Op: "testAuth"}
	}
	id := d.id
	return &id, nil
}

// recorder is a Handler that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	msgs []mqtt.Message
	ch   chan mqtt.Message
}

func newRecorder() *recorder { return &recorder{ch: make(chan mqtt.Message, 100)} }

func (r *recorder) handle(ctx context.Context, m mqtt.Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	r.ch <- m
	return nil
}

func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// next waits for the next message handed to the Handler.
func (r *recorder) next(tb testing.TB) mqtt.Message {
	tb.Helper()
	select {
	case m := <-r.ch:
		return m
	case <-time.After(5 * time.Second):
		tb.Fatal("no message reached the Handler")
		return mqtt.Message{}
	}
}

// MustStartBroker starts a broker on a free port of 127.0.0.1 and closes it
// at the end of the test.
func MustStartBroker(tb testing.TB, cfg mqtt.Config) *mqtt.Broker {
	tb.Helper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.Auth == nil {
		cfg.Auth = testAuth{}
	}
	w := &testWriter{tb: tb}
	tb.Cleanup(w.stop) // registered first, so run last
	cfg.Logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	b, err := mqtt.NewBroker(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := b.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := b.Close(); err != nil {
			tb.Error(err)
		}
	})
	return b
}

// testWriter logs to the test until it ends; mochi's goroutines may log
// after Close has returned.
type testWriter struct {
	tb      testing.TB
	mu      sync.Mutex
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.tb.Log(string(bytes.TrimSpace(p)))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}

// rawClient speaks MQTT by hand, packet by packet, so that a test sees
// exactly when the broker answers.
type rawClient struct {
	tb      testing.TB
	conn    net.Conn
	r       *bufio.Reader
	version byte
	connack packets.Packet
}

// dialRaw connects and logs in; it fails the test unless the CONNACK is a
// success.
func dialRaw(tb testing.TB, addr, user, pass, clientID string, version byte) *rawClient {
	tb.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	c := &rawClient{tb: tb, conn: conn, r: bufio.NewReader(conn), version: version}
	c.write(packets.Packet{
		FixedHeader:     packets.FixedHeader{Type: packets.Connect},
		ProtocolVersion: version,
		Connect: packets.ConnectParams{
			ProtocolName: []byte("MQTT"), Clean: true, Keepalive: 60, ClientIdentifier: clientID,
			UsernameFlag: true, Username: []byte(user), PasswordFlag: true, Password: []byte(pass),
		},
	})
	pk, err := c.read(5 * time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	if pk.FixedHeader.Type != packets.Connack || pk.ReasonCode != 0 {
		tb.Fatalf("got packet type %d with code %#x, want a successful CONNACK", pk.FixedHeader.Type, pk.ReasonCode)
	}
	c.connack = pk
	return c
}

func (c *rawClient) write(pk packets.Packet) {
	c.tb.Helper()
	var buf bytes.Buffer
	var err error
	pk.ProtocolVersion = c.version
	switch pk.FixedHeader.Type {
	case packets.Connect:
		err = pk.ConnectEncode(&buf)
	case packets.Publish:
		err = pk.PublishEncode(&buf)
	case packets.Disconnect:
		err = pk.DisconnectEncode(&buf)
	default:
		c.tb.Fatalf("rawClient cannot send packet type %d", pk.FixedHeader.Type)
	}
	if err != nil {
		c.tb.Fatal(err)
	}
	if _, err := c.conn.Write(buf.Bytes()); err != nil {
		c.tb.Fatal(err)
	}
}

func (c *rawClient) publish(topic, payload string, qos byte, id uint16) {
	c.tb.Helper()
	c.write(packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Publish, Qos: qos},
		TopicName:   topic, Payload: []byte(payload), PacketID: id,
	})
}

// read returns the next packet from the broker, or an error: a timeout
// (os.ErrDeadlineExceeded) or the connection's end (io.EOF).
func (c *rawClient) read(timeout time.Duration) (packets.Packet, error) {
	var pk packets.Packet
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	b, err := c.r.ReadByte()
	if err != nil {
		return pk, err
	}
	if err := pk.FixedHeader.Decode(b); err != nil {
		return pk, err
	}
	n, _, err := packets.DecodeLength(c.r)
	if err != nil {
		return pk, err
	}
	pk.FixedHeader.Remaining = n
	body := make([]byte, n)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return pk, err
	}
	pk.ProtocolVersion = c.version
	switch pk.FixedHeader.Type {
	case packets.Connack:
		err = pk.ConnackDecode(body)
	case packets.Puback:
		err = pk.PubackDecode(body)
	case packets.Pubrec:
		err = pk.PubrecDecode(body)
	case packets.Disconnect:
		err = pk.DisconnectDecode(body)
	case packets.Publish:
		err = pk.PublishDecode(body)
	}
	return pk, err
}

// expectPuback reads a PUBACK for id and returns its reason code.
func (c *rawClient) expectPuback(id uint16) byte {
	c.tb.Helper()
	pk, err := c.read(5 * time.Second)
	if err != nil {
		c.tb.Fatalf("waiting for PUBACK %d: %v", id, err)
	}
	if pk.FixedHeader.Type != packets.Puback || pk.PacketID != id {
		c.tb.Fatalf("got packet type %d id %d, want PUBACK %d", pk.FixedHeader.Type, pk.PacketID, id)
	}
	return pk.ReasonCode
}
