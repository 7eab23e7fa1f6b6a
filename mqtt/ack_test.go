package mqtt_test

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/nakamawashi/nakamawashi/mqtt"
)

// testAck is an Ack the test completes.
type testAck struct {
	done chan struct{}
	err  error
}

func newTestAck() *testAck               { return &testAck{done: make(chan struct{})} }
func (a *testAck) Done() <-chan struct{} { return a.done }
func (a *testAck) Err() error            { return a.err }
func (a *testAck) complete(err error)    { a.err = err; close(a.done) }

// submitter records Submit calls and hands out Acks the test completes.
type submitter struct {
	mu   sync.Mutex
	acks []*testAck
	ch   chan mqtt.Message
}

func newSubmitter() *submitter { return &submitter{ch: make(chan mqtt.Message, 100)} }

func (s *submitter) submit(ctx context.Context, m mqtt.Message) (mqtt.Ack, error) {
	a := newTestAck()
	s.mu.Lock()
	s.acks = append(s.acks, a)
	s.mu.Unlock()
	s.ch <- m
	return a, nil
}

func (s *submitter) ack(i int) *testAck {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acks[i]
}

func (s *submitter) next(tb testing.TB) mqtt.Message {
	tb.Helper()
	select {
	case m := <-s.ch:
		return m
	case <-time.After(5 * time.Second):
		tb.Fatal("no message reached Submit")
		return mqtt.Message{}
	}
}

func expectNothing(tb testing.TB, c *rawClient) {
	tb.Helper()
	if pk, err := c.read(200 * time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		tb.Fatalf("got packet type %d (id %d), %v; want no packet", pk.FixedHeader.Type, pk.PacketID, err)
	}
}

// TestSubmitWindow shows the durability contract with Submit: a device
// has several QoS 1 publishes in flight, each PUBACK leaves only once its
// message is durable, and the PUBACKs leave in the order of the publishes
// even when the later messages are durable first.
func TestSubmitWindow(t *testing.T) {
	for _, version := range []byte{4, 5} {
		t.Run(map[byte]string{4: "3.1.1", 5: "5"}[version], func(t *testing.T) {
			s := newSubmitter()
			b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit})
			c := dialRaw(t, b.Addr(), "dev1", "secret1", "win", version)
			for id := uint16(1); id <= 3; id++ {
				c.publish(stateTopic, running, 1, id)
			}
			for range 3 { // all three reach Submit before any is durable
				s.next(t)
			}
			expectNothing(t, c)
			s.ack(2).complete(nil)
			s.ack(1).complete(nil)
			expectNothing(t, c) // the first is not durable yet
			s.ack(0).complete(nil)
			for id := uint16(1); id <= 3; id++ {
				if code := c.expectPuback(id); code != 0 {
					t.Errorf("PUBACK %d reason %#x, want 0", id, code)
				}
			}
			waitFor(t, func() bool { return b.DeviceStats(1).Accepted == 3 })
		})
	}
}

// TestSubmitWindowLimit: a device that sends more than MaxInflight
// publishes awaiting their PUBACK waits, its connection unread; MQTT 5
// devices are told the window as the broker's Receive Maximum.
func TestSubmitWindowLimit(t *testing.T) {
	s := newSubmitter()
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit, MaxInflight: 2})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "lim", 5)
	if c.connack.Properties.ReceiveMaximum != 2 {
		t.Errorf("CONNACK Receive Maximum %d, want 2", c.connack.Properties.ReceiveMaximum)
	}
	for id := uint16(1); id <= 3; id++ {
		c.publish(stateTopic, running, 1, id)
	}
	s.next(t)
	s.next(t)
	select {
	case <-s.ch:
		t.Fatal("a third publish reached Submit with a window of 2")
	case <-time.After(300 * time.Millisecond):
	}
	s.ack(0).complete(nil)
	c.expectPuback(1)
	s.next(t) // now the third
	s.ack(1).complete(nil)
	s.ack(2).complete(nil)
	c.expectPuback(2)
	c.expectPuback(3)
}

// TestSubmitError: a message whose Ack ends with an error is never
// acknowledged as received, and the PUBACKs before it still are.
func TestSubmitError(t *testing.T) {
	t.Run("3.1.1", func(t *testing.T) {
		s := newSubmitter()
		b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit})
		c := dialRaw(t, b.Addr(), "dev1", "secret1", "fail", 4)
		c.publish(stateTopic, running, 1, 1)
		c.publish(stateTopic, running, 1, 2)
		c.publish(stateTopic, running, 1, 3)
		for range 3 {
			s.next(t)
		}
		s.ack(2).complete(nil)
		s.ack(1).complete(errors.New("disk full"))
		s.ack(0).complete(nil)
		c.expectPuback(1)
		pk, err := c.read(5 * time.Second)
		if err == nil {
			t.Fatalf("got packet type %d id %d, want the connection closed without PUBACK 2 or 3", pk.FixedHeader.Type, pk.PacketID)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("got %v, want the connection closed", err)
		}
		waitFor(t, func() bool { return b.DeviceStats(1).Failed == 1 })
	})
	t.Run("5", func(t *testing.T) {
		s := newSubmitter()
		b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit})
		c := dialRaw(t, b.Addr(), "dev1", "secret1", "fail", 5)
		c.publish(stateTopic, running, 1, 1)
		c.publish(stateTopic, running, 1, 2)
		s.next(t)
		s.next(t)
		s.ack(1).complete(nil)
		s.ack(0).complete(errors.New("disk full"))
		if code := c.expectPuback(1); code != 0x80 {
			t.Errorf("PUBACK 1 reason %#x, want 0x80 (unspecified error)", code)
		}
		if code := c.expectPuback(2); code != 0 {
			t.Errorf("PUBACK 2 reason %#x, want 0", code)
		}
		waitFor(t, func() bool { got := b.DeviceStats(1); return got.Failed == 1 && got.Accepted == 1 })
	})
}

// TestSubmitMalformedInOrder: a malformed publish behind publishes still
// awaiting their PUBACK is answered after them.
func TestSubmitMalformedInOrder(t *testing.T) {
	s := newSubmitter()
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "bad", 5)
	c.publish(stateTopic, running, 1, 1)
	s.next(t)
	c.publish(stateTopic, `{"state":"dancing"}`, 1, 2)
	expectNothing(t, c)
	s.ack(0).complete(nil)
	if code := c.expectPuback(1); code != 0 {
		t.Errorf("PUBACK 1 reason %#x, want 0", code)
	}
	if code := c.expectPuback(2); code != 0x99 {
		t.Errorf("PUBACK 2 reason %#x, want 0x99 (payload format invalid)", code)
	}
	waitFor(t, func() bool { return b.DeviceStats(1).Malformed == 1 })
}

// TestSubmitDurableAtOnce: a message durable when Submit returns (nil Ack)
// is acknowledged at once; QoS 0 publishes go to Submit without waiting.
func TestSubmitDurableAtOnce(t *testing.T) {
	var mu sync.Mutex
	var got []byte
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: func(ctx context.Context, m mqtt.Message) (mqtt.Ack, error) {
		mu.Lock()
		got = append(got, m.QoS)
		mu.Unlock()
		if m.QoS == 0 {
			return newTestAck(), nil // never done: nobody waits
		}
		return nil, nil
	}})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "now", 4)
	c.publish(stateTopic, running, 0, 0)
	c.publish(stateTopic, running, 1, 5)
	if code := c.expectPuback(5); code != 0 {
		t.Errorf("PUBACK reason %#x, want 0", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Errorf("Submit got QoS %v, want [0 1]", got)
	}
}

// TestSubmitDisconnectBeforeAck: a device gone before its message is
// durable gets no PUBACK; the message still is durable, and the broker
// neither blocks nor leaks its queue token.
func TestSubmitDisconnectBeforeAck(t *testing.T) {
	s := newSubmitter()
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle, Submit: s.submit, MaxQueue: 1})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "gone", 4)
	c.publish(stateTopic, running, 1, 1)
	s.next(t)
	c.conn.Close()
	time.Sleep(100 * time.Millisecond)
	s.ack(0).complete(nil)
	// The token is back: another connection's message gets through.
	c2 := dialRaw(t, b.Addr(), "dev1", "secret1", "again", 4)
	c2.publish(stateTopic, running, 1, 1)
	s.next(t)
	s.ack(1).complete(nil)
	if code := c2.expectPuback(1); code != 0 {
		t.Errorf("PUBACK reason %#x, want 0", code)
	}
}

// TestSubmitQoS2AfterOwed: a QoS 2 publish goes to the Handler only once
// the QoS 1 PUBACKs owed before it are sent, so the acknowledgements stay
// in order.
func TestSubmitQoS2AfterOwed(t *testing.T) {
	s := newSubmitter()
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle, Submit: s.submit})
	c := dialRaw(t, b.Addr(), "dev1", "secret1", "q2", 4)
	c.publish(stateTopic, running, 1, 1)
	s.next(t)
	c.publish(stateTopic, running, 2, 2)
	time.Sleep(200 * time.Millisecond)
	if rec.len() != 0 {
		t.Fatal("the QoS 2 publish reached the Handler before the QoS 1 PUBACK owed")
	}
	s.ack(0).complete(nil)
	c.expectPuback(1)
	rec.next(t)
	pk, err := c.read(5 * time.Second)
	if err != nil || pk.FixedHeader.Type != packets.Pubrec || pk.PacketID != 2 {
		t.Fatalf("got packet type %d id %d, %v; want PUBREC 2", pk.FixedHeader.Type, pk.PacketID, err)
	}
	_ = b
}
