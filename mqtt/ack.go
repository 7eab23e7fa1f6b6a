package mqtt

import (
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

// sendAcks writes the connection's PUBACKs in order, each once its message
// is durable. A PUBACK for a connection that has ended is dropped: the
// device sends the message again, and the Handler tolerates repeats.
func (b *Broker) sendAcks(cl *mochi.Client, s *session) {
	defer b.calls.Done()
	a := &s.acks
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.running = false
			a.mu.Unlock()
			return
		}
		p := a.queue[0]
		a.mu.Unlock()

		if p.ack != nil {
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
				// Closing: the connection goes without the PUBACK; the
				// device sends the message again.
				p.reply = -1
			}
			<-b.queue
		}
		b.reply(cl, a, p)

		a.mu.Lock()
		a.queue[0] = pendingAck{}
		a.queue = a.queue[1:]
		if len(a.queue) == 0 {
			a.queue = nil // let the backing array go
		}
		a.mu.Unlock()
		<-a.slots
	}
}

// reply writes the PUBACK p owes, as mochi would have.
func (b *Broker) reply(cl *mochi.Client, a *acks, p pendingAck) {
	if a.dead || p.reply < 0 {
		return
	}
	code := packets.CodeSuccess
	v5 := cl.Properties.ProtocolVersion == 5
	switch p.reply {
	case replyFailed:
		if !v5 {
			// No failed PUBACK in 3.1.1: the connection ends without
			// one, and no later message of it may be acknowledged
			// before the device sent this one again.
			a.dead = true
			if cl.Net.Conn != nil {
				_ = cl.Net.Conn.Close()
			}
			return
		}
		code = packets.ErrUnspecifiedError
	case replyIgnored:
		if v5 {
			code = packets.ErrPayloadFormatInvalid
		}
	}
	// WritePacket locks the client: it is safe beside mochi's own writes.
	// An error means the connection has ended.
	_ = cl.WritePacket(packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Puback},
		PacketID:    p.id,
		ReasonCode:  code.Code,
	})
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
