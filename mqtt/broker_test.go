package mqtt_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

const (
	stateTopic = "nakamawashi/v1/c1/m1/state"
	running    = `{"state":"running","at":"2026-04-01T08:30:00+09:00"}`
)

// TestAckAfterHandler shows the durability contract: a QoS 1 PUBACK leaves
// only after the Handler returned nil, in MQTT 3.1.1 and 5.
func TestAckAfterHandler(t *testing.T) {
	for _, version := range []byte{4, 5} {
		t.Run(map[byte]string{4: "3.1.1", 5: "5"}[version], func(t *testing.T) {
			entered := make(chan mqtt.Message, 1)
			release := make(chan struct{})
			var returned atomic.Bool
			b := MustStartBroker(t, mqtt.Config{Handler: func(ctx context.Context, m mqtt.Message) error {
				entered <- m
				<-release
				returned.Store(true)
				return nil
			}})
			c := dialRaw(t, b.Addr(), "dev1", "secret1", "ack", version)
			c.publish(stateTopic, running, 1, 7)

			m := <-entered
			if m.State == nil || m.State.State != telemetry.Running || m.QoS != 1 || m.Device.DeviceID != 1 || m.ClientID != "ack" {
				t.Errorf("Handler got %+v", m)
			}
			if pk, err := c.read(300 * time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("while the Handler blocks: got packet type %d, %v; want no packet", pk.FixedHeader.Type, err)
			}
			close(release)
			if code := c.expectPuback(7); code != 0 {
				t.Errorf("PUBACK reason %#x, want 0", code)
			}
			if !returned.Load() {
				t.Error("PUBACK before the Handler returned")
			}
			if got := b.DeviceStats(1); got.Accepted != 1 {
				t.Errorf("stats %+v, want 1 accepted", got)
			}
		})
	}
}

// TestHandlerError: a message the Handler could not store is never
// acknowledged as received.
func TestHandlerError(t *testing.T) {
	fail := func(ctx context.Context, m mqtt.Message) error { return errors.New("disk full") }

	t.Run("3.1.1", func(t *testing.T) {
		b := MustStartBroker(t, mqtt.Config{Handler: fail})
		c := dialRaw(t, b.Addr(), "dev1", "secret1", "fail", 4)
		c.publish(stateTopic, running, 1, 1)
		pk, err := c.read(5 * time.Second)
		if err == nil {
			t.Fatalf("got packet type %d code %#x, want the connection closed without PUBACK", pk.FixedHeader.Type, pk.ReasonCode)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("got %v, want the connection closed", err)
		}
		waitFor(t, func() bool { return b.DeviceStats(1).Failed == 1 })
	})
	t.Run("5", func(t *testing.T) {
		b := MustStartBroker(t, mqtt.Config{Handler: fail})
		c := dialRaw(t, b.Addr(), "dev1", "secret1", "fail", 5)
		c.publish(stateTopic, running, 1, 1)
		if code := c.expectPuback(1); code != 0x80 {
			t.Errorf("PUBACK reason %#x, want 0x80 (unspecified error)", code)
		}
		if got := b.DeviceStats(1); got.Failed != 1 || got.Accepted != 0 {
			t.Errorf("stats %+v, want 1 failed", got)
		}
	})
}

// TestMalformed: a payload the decoders refuse is counted, never reaches
// the Handler, and does not stop the device's next message.
func TestMalformed(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})

	c5 := dialRaw(t, b.Addr(), "dev1", "secret1", "bad5", 5)
	c5.publish(stateTopic, `{"state":"dancing"}`, 1, 1)
	if code := c5.expectPuback(1); code != 0x99 {
		t.Errorf("MQTT 5: PUBACK reason %#x, want 0x99 (payload format invalid)", code)
	}
	c4 := dialRaw(t, b.Addr(), "dev2", "secret2", "bad4", 4)
	c4.publish("nakamawashi/v1/c1/m2/count", `{"good":-3}`, 1, 2)
	if code := c4.expectPuback(2); code != 0 {
		t.Errorf("MQTT 3.1.1: PUBACK reason %#x, want 0 (acknowledged and dropped)", code)
	}
	c4.publish("nakamawashi/v1/c1/m2/light", "\x00\xff not json", 0, 0)
	c4.publish("nakamawashi/v1/c1/m2/count", `{"good":3}`, 1, 3)
	if code := c4.expectPuback(3); code != 0 {
		t.Errorf("PUBACK reason %#x, want 0", code)
	}
	if m := rec.next(t); m.Count == nil || m.Count.Good != 3 || m.Device.DeviceID != 2 {
		t.Errorf("Handler got %+v, want the good count", m)
	}
	if n := rec.len(); n != 1 {
		t.Errorf("Handler got %d messages, want 1", n)
	}
	if got := b.DeviceStats(1); got.Malformed != 1 {
		t.Errorf("device 1: %+v, want 1 malformed", got)
	}
	if got := b.DeviceStats(2); got.Malformed != 2 || got.Accepted != 1 {
		t.Errorf("device 2: %+v, want 2 malformed, 1 accepted", got)
	}
}

// TestDeniedPublish: MQTT 5 QoS 1 outside the ACL gets PUBACK 0x87; 3.1.1
// QoS 1 loses the connection; QoS 0 is dropped. None reaches the Handler.
func TestDeniedPublish(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})

	c5 := dialRaw(t, b.Addr(), "dev1", "secret1", "deny5", 5)
	c5.publish("nakamawashi/v1/c2/m1/state", running, 1, 1)
	if code := c5.expectPuback(1); code != 0x87 {
		t.Errorf("PUBACK reason %#x, want 0x87 (not authorized)", code)
	}
	c5.publish("nakamawashi/v1/c1/m1/cmd", `{}`, 0, 0)

	c4 := dialRaw(t, b.Addr(), "dev1", "secret1", "deny4", 4)
	c4.publish("spBv1.0/c2/NDATA/m1", "", 1, 2)
	// mochi writes a DISCONNECT even to a 3.1.1 client, then closes.
	pk, err := c4.read(5 * time.Second)
	if err == nil && pk.FixedHeader.Type == packets.Disconnect {
		pk, err = c4.read(5 * time.Second)
	}
	if err == nil {
		t.Errorf("3.1.1: got packet type %d, want the connection closed", pk.FixedHeader.Type)
	}
	waitFor(t, func() bool { return b.DeviceStats(1).Denied == 3 })
	if n := rec.len(); n != 0 {
		t.Errorf("Handler got %d messages, want none", n)
	}
}

// TestBackpressure: at most MaxQueue messages are in the Handler at once;
// the others wait in their connections and are acknowledged in turn.
func TestBackpressure(t *testing.T) {
	var in, most atomic.Int32
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	b := MustStartBroker(t, mqtt.Config{MaxQueue: 1, Handler: func(ctx context.Context, m mqtt.Message) error {
		n := in.Add(1)
		defer in.Add(-1)
		for {
			old := most.Load()
			if n <= old || most.CompareAndSwap(old, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		return nil
	}})
	var clients []*rawClient
	for i, u := range []string{"dev1", "dev2", "dev3"} {
		c := dialRaw(t, b.Addr(), u, testDevices[u].secret, "bp", 4)
		id := testDevices[u].id
		c.publish(mqtt.Topic{Company: id.CompanyCode, Machine: id.MachineCode, Kind: mqtt.KindStatus}.String(), "online", 1, uint16(i+1))
		clients = append(clients, c)
	}
	<-entered
	select {
	case <-entered:
		t.Fatal("a second message entered the Handler while the first was in it")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	for i, c := range clients {
		if code := c.expectPuback(uint16(i + 1)); code != 0 {
			t.Errorf("client %d: PUBACK reason %#x", i, code)
		}
	}
	if got := most.Load(); got != 1 {
		t.Errorf("%d messages in the Handler at once, want at most 1", got)
	}
}

// TestCloseCancelsHandler: Close cancels a blocked Handler and returns once
// it has.
func TestCloseCancelsHandler(t *testing.T) {
	entered := make(chan struct{})
	var done atomic.Bool
	b, err := mqtt.NewBroker(mqtt.Config{Addr: "127.0.0.1:0", Auth: testAuth{}, Handler: func(ctx context.Context, m mqtt.Message) error {
		close(entered)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		done.Store(true)
		return ctx.Err()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "close", 4)
	c.publish(stateTopic, running, 1, 1)
	<-entered
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !done.Load() {
		t.Error("Close returned before the Handler did")
	}
	if pk, err := c.read(2 * time.Second); err == nil && pk.FixedHeader.Type == packets.Puback && pk.ReasonCode == 0 {
		t.Error("a message the Handler failed was acknowledged")
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestStartAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	b, err := mqtt.NewBroker(mqtt.Config{Addr: ln.Addr().String(), Auth: testAuth{}, Handler: newRecorder().handle})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Start(context.Background())
	if err == nil {
		t.Fatal("Start on a taken port: no error")
	}
	if !errors.Is(err, syscall.EADDRINUSE) || nakamawashi.ErrorCode(err) != nakamawashi.EUNAVAILABLE {
		t.Errorf("got %v (code %s), want EUNAVAILABLE matching EADDRINUSE", err, nakamawashi.ErrorCode(err))
	}
	for _, want := range []string{"already in use", "--mqtt-addr", "external"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestAddr(t *testing.T) {
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle})
	host, port, err := net.SplitHostPort(b.Addr())
	if err != nil || host != "127.0.0.1" || port == "0" || port == "" {
		t.Errorf("Addr() = %q, want 127.0.0.1 and the port chosen", b.Addr())
	}
}

func TestNewBrokerValidates(t *testing.T) {
	h := newRecorder().handle
	for name, cfg := range map[string]mqtt.Config{
		"no auth":           {Handler: h},
		"no handler":        {Auth: testAuth{}},
		"negative MaxQueue": {Auth: testAuth{}, Handler: h, MaxQueue: -1},
	} {
		if _, err := mqtt.NewBroker(cfg); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", name, err)
		}
	}
}

// TestSparkplug: an edge node publishes under its group (company) and edge
// node (machine); the payload reaches the Handler decoded.
func TestSparkplug(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "edge", 5)
	// A Sparkplug payload with timestamp 1 and seq 0 (fields 1 and 3).
	c.publish("spBv1.0/c1/NDATA/m1", "\x08\x01\x18\x00", 1, 1)
	if code := c.expectPuback(1); code != 0 {
		t.Fatalf("PUBACK reason %#x", code)
	}
	m := rec.next(t)
	if m.Sparkplug == nil || m.Sparkplug.Topic.EdgeNodeID != "m1" || m.Sparkplug.Payload == nil || m.Kind != "" {
		t.Errorf("Handler got %+v", m)
	}
	c.publish("spBv1.0/c1/NDATA/m1", "\xff\xff\xff", 1, 2)
	if code := c.expectPuback(2); code != 0x99 {
		t.Errorf("malformed Sparkplug payload: PUBACK reason %#x, want 0x99", code)
	}
}

// waitFor polls cond for up to five seconds.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatal("condition not met within 5 s")
}

// TestClientIDsPerDevice: a device that chooses another company's client
// id does not take over (and so disconnect) that company's device.
func TestClientIDsPerDevice(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})
	victim := dialRaw(t, b.Addr(), "dev3", "secret3", "plc", 4)
	dialRaw(t, b.Addr(), "dev1", "secret1", "plc", 4)
	victim.publish("nakamawashi/v1/c2/m1/status", "online", 1, 1)
	if code := victim.expectPuback(1); code != 0 {
		t.Errorf("PUBACK reason %#x", code)
	}
	if m := rec.next(t); m.Device.DeviceID != 3 || m.ClientID != "plc" {
		t.Errorf("Handler got %+v", m)
	}
}

// TestHandlerPanic: a panicking Handler fails the message, not the broker.
func TestHandlerPanic(t *testing.T) {
	b := MustStartBroker(t, mqtt.Config{Handler: func(ctx context.Context, m mqtt.Message) error { panic("boom") }})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "panic", 5)
	c.publish(stateTopic, running, 1, 1)
	if code := c.expectPuback(1); code != 0x80 {
		t.Errorf("PUBACK reason %#x, want 0x80", code)
	}
	if got := b.DeviceStats(1); got.Failed != 1 {
		t.Errorf("stats %+v, want 1 failed", got)
	}
}
