package mqtt

import (
	"bytes"
	"context"
	"sync"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// Ack tells when a message that Config.Submit took is durable: Done is
// closed once it is (or once that failed), and then Err tells which.
type Ack interface {
	Done() <-chan struct{}
	Err() error
}

// Reasons of the acknowledgements the broker sends itself.
const (
	replySuccess = iota // PUBACK 0x00
	replyFailed         // failReply: PUBACK 0x80 in MQTT 5, the connection closed in 3.1.1
	replyIgnored        // malformedReply: PUBACK 0x99 in MQTT 5, 0x00 in 3.1.1
)

// pendingAck is a QoS 1 publish whose PUBACK waits for its Ack.
type pendingAck struct {
	id    uint16
	ack   Ack // nil: the reply is known already
	reply int
	topic string // for the log
}

// acks are the PUBACKs one connection still owes, in the order its
// publishes arrived. A goroutine runs while there are any: it waits for the
// first to be durable, writes its PUBACK, and goes on with the next, so
// that the acknowledgements leave in order while the connection's reading
// goroutine reads on.
type acks struct {
	mu      sync.Mutex
	queue   []pendingAck
	running bool
	dead    bool          // the connection was closed for a failed message
	slots   chan struct{} // a token per PUBACK owed: the connection's window
}

// owes reports whether PUBACKs are still to be sent on the connection.
func (a *acks) owes() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue) > 0
}

// push queues a PUBACK of cl's. The caller holds a slot of the
// connection's window for it, and for one that waits for an Ack a token of
// the broker's queue: sendAcks returns both once the PUBACK is written.
func (b *Broker) push(cl *mochi.Client, s *session, p pendingAck) {
	s.acks.mu.Lock()
	defer s.acks.mu.Unlock()
	s.acks.queue = append(s.acks.queue, p)
	if !s.acks.running {
		s.acks.running = true
		b.calls.Add(1)
		go b.sendAcks(cl, s)
	}
}

// maxAckWrite bounds the PUBACKs written at once.
const maxAckWrite = 64

// sendAcks writes the connection's PUBACKs in order, each once its message
// is durable: the first owed once it is, with those after it that are
// durable by then, in one write. A PUBACK for a connection that has ended
// is dropped: the device sends the message again, and the Handler
// tolerates repeats.
func (b *Broker) sendAcks(cl *mochi.Client, s *session) {
	defer b.calls.Done()
	a := &s.acks
	ready := make([]pendingAck, 0, 8)
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.running = false
			a.mu.Unlock()
			return
		}
		head := a.queue[0]
		a.mu.Unlock()
		b.resolve(s, &head)

		ready = append(ready[:0], head)
		a.mu.Lock()
		for i := 1; i < len(a.queue) && len(ready) < maxAckWrite; i++ {
			p := a.queue[i]
			if p.ack != nil && !isDone(p.ack) {
				break
			}
			ready = append(ready, p)
		}
		a.mu.Unlock()
		for i := 1; i < len(ready); i++ {
			b.resolve(s, &ready[i]) // done: no wait
		}
		b.reply(cl, a, ready)

		a.mu.Lock()
		clear(a.queue[:len(ready)])
		a.queue = a.queue[len(ready):]
		if len(a.queue) == 0 {
			a.queue = nil // let the backing array go
		}
		a.mu.Unlock()
		for range ready {
			<-a.slots
		}
	}
}

func isDone(ack Ack) bool {
	select {
	case <-ack.Done():
		return true
	default:
		return false
	}
}

// resolve waits for p's Ack, if any, sets its reply, counts it, and
// returns its token of the broker's queue.
func (b *Broker) resolve(s *session, p *pendingAck) {
	if p.ack == nil {
		return
	}
	select {
	case <-p.ack.Done():
		if err := p.ack.Err(); err != nil {
			p.reply = replyFailed
			b.stats.failed(s.id.DeviceID)
			if !b.isClosing() {
				b.log.Error("mqtt handler refused a message", "device", s.id.DeviceID, "topic", p.topic, "qos", 1, "error", err)
			}
		} else {
			b.stats.accepted(s.id.DeviceID)
		}
	case <-b.ctx.Done():
		// Closing: the connection goes without the PUBACK; the device
		// sends the message again.
		p.reply = -1
	}
	<-b.queue
}

// reply writes the PUBACKs the ready entries owe, as mochi would have, in
// one write. It writes under the client's lock, as mochi's
// Client.WritePacket does, so that whole packets never interleave with
// mochi's own writes (a PUBLISH of a command that mochi buffers may leave
// after them: the order between the two flows does not matter). A failed
// message in MQTT 3.1.1, which has no failed PUBACK, closes the connection
// after the PUBACKs before it: no later message may be acknowledged before
// the device sent that one again.
func (b *Broker) reply(cl *mochi.Client, a *acks, ready []pendingAck) {
	if a.dead {
		return
	}
	v5 := cl.Properties.ProtocolVersion == 5
	var buf bytes.Buffer
	closing := false
	for _, p := range ready {
		if p.reply < 0 {
			continue
		}
		code := packets.CodeSuccess
		switch p.reply {
		case replyFailed:
			closing = !v5
			code = packets.ErrUnspecifiedError
		case replyIgnored:
			if v5 {
				code = packets.ErrPayloadFormatInvalid
			}
		}
		if closing {
			break
		}
		pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Puback}, PacketID: p.id,
			ReasonCode: code.Code, ProtocolVersion: cl.Properties.ProtocolVersion}
		if err := pk.PubackEncode(&buf); err != nil {
			b.log.Error("mqtt PUBACK not encoded", "error", err)
			return
		}
	}
	if buf.Len() > 0 && cl.Net.Conn != nil {
		cl.Lock()
		if !cl.Closed() {
			// An error means the connection has ended: mochi's read loop
			// sees it too.
			_, _ = cl.Net.Conn.Write(buf.Bytes())
		}
		cl.Unlock()
	}
	if closing {
		a.dead = true
		if cl.Net.Conn != nil {
			_ = cl.Net.Conn.Close()
		}
	}
}

// waitAcks waits until the connection owes no PUBACK, so that mochi may
// answer the next packet itself in order. It returns false when the broker
// is closing.
func (b *Broker) waitAcks(ctx context.Context, s *session) bool {
	for s.acks.owes() {
		// The queue drains at the store's pace; a short sleep is simpler
		// than a signal, and this is the rare QoS 2 or failure path.
		select {
		case <-ctx.Done():
			return false
		case <-time.After(time.Millisecond):
		}
	}
	return true
}
