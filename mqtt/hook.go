package mqtt

import (
	"bytes"
	"context"
	"errors"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/nakamawashi/nakamawashi"
)

// hook connects the broker to mochi: authentication, the ACL, and the
// hand-over of each publish to the Handler. mochi calls every one of these
// in the goroutine that reads the device's connection, so while a hook
// runs, that device's further packets wait in its socket.
type hook struct {
	mochi.HookBase
	b *Broker
}

func (h *hook) ID() string { return "nakamawashi" }

func (h *hook) Provides(x byte) bool {
	return bytes.Contains([]byte{
		mochi.OnConnectAuthenticate,
		mochi.OnACLCheck,
		mochi.OnPublish,
		mochi.OnWillSent,
		mochi.OnDisconnect,
	}, []byte{x})
}

func (h *hook) session(cl *mochi.Client) *session {
	if s, ok := h.b.sessions.Load(cl); ok {
		return s.(*session)
	}
	return nil
}

// OnConnectAuthenticate checks the credentials and the will. mochi answers
// a false with CONNACK "bad user name or password" (0x86 in MQTT 5, 0x04
// in 3.1.1), whatever the reason.
func (h *hook) OnConnectAuthenticate(cl *mochi.Client, pk packets.Packet) bool {
	b := h.b
	user := string(pk.Connect.Username)
	log := b.log.With("username", user, "client", cl.ID, "remote", cl.Net.Remote)
	if !pk.Connect.UsernameFlag || user == "" {
		b.stats.authFailed()
		log.Info("mqtt login refused: no username")
		return false
	}
	ctx, cancel := context.WithTimeout(b.ctx, authTimeout)
	defer cancel()
	id, err := b.cfg.Auth.AuthenticateDevice(ctx, user, string(pk.Connect.Password))
	switch {
	case err != nil && nakamawashi.ErrorCode(err) == nakamawashi.EUNAUTHORIZED:
		b.stats.authFailed()
		log.Info("mqtt login refused", "error", err)
		return false
	case err != nil:
		b.stats.authFailed()
		log.Error("mqtt login failed", "error", err)
		return false
	case id == nil || !ValidCode(id.CompanyCode) || !ValidCode(id.MachineCode):
		b.stats.authFailed()
		log.Error("mqtt login failed: the authenticator returned an unusable identity", "identity", id)
		return false
	}
	will := &cl.Properties.Will
	if will.Flag == 1 && !id.MayPublish(will.TopicName) {
		b.stats.denied(id.DeviceID)
		log.Warn("mqtt login refused: last will outside the device's topics", "device", id.DeviceID, "will_topic", will.TopicName)
		return false
	}
	// A delayed will would be sent after OnDisconnect forgot the session;
	// devices want "offline" known at once anyway.
	will.WillDelayInterval = 0

	// A device that asks for no keepalive or a long one gets the longest
	// allowed, so that mochi closes its connection (and sends its will)
	// within 1.5 times that of its last packet. mochi set the first read
	// deadline from the device's wish before this hook; set it again.
	if limit := uint16(b.cfg.MaxKeepalive / time.Second); cl.State.Keepalive == 0 || cl.State.Keepalive > limit {
		cl.State.Keepalive, cl.State.ServerKeepalive = limit, true
		if cl.Net.Conn != nil {
			_ = cl.Net.Conn.SetDeadline(time.Now().Add(time.Duration(limit) * 1500 * time.Millisecond))
		}
	}

	// Client ids are chosen by the devices. Prefixed with the company and
	// machine, one company's device cannot take over (and so disconnect)
	// another's session by choosing its client id.
	s := &session{id: *id, clientID: cl.ID}
	if b.cfg.Submit != nil {
		s.acks.slots = make(chan struct{}, b.cfg.MaxInflight)
	}
	cl.ID = id.CompanyCode + "/" + id.MachineCode + "/" + cl.ID
	b.sessions.Store(cl, s)
	log.Info("mqtt device connected", "device", id.DeviceID, "company", id.CompanyCode, "machine", id.MachineCode)
	return true
}

// OnACLCheck allows a device its own topics only (DeviceIdentity). mochi
// calls it for publishes (write), subscriptions and deliveries.
func (h *hook) OnACLCheck(cl *mochi.Client, topic string, write bool) bool {
	s := h.session(cl)
	if s == nil {
		return false
	}
	ok := s.id.MaySubscribe(topic)
	if write {
		ok = s.id.MayPublish(topic)
	}
	if !ok {
		n := h.b.stats.denied(s.id.DeviceID)
		if h.b.stats.shouldLog(s.id.DeviceID, time.Now()) {
			h.b.log.Warn("mqtt topic outside the device's ACL", "device", s.id.DeviceID, "client", s.clientID,
				"topic", topic, "publish", write, "denied_total", n)
		}
	}
	return ok
}

// OnPublish decodes the publish and passes it to the Handler. mochi calls
// it before it acknowledges (server.go, processPublish: OnPublish, then
// the PUBACK or PUBREC), so the acknowledgement waits for the Handler.
// The error returned tells mochi what to answer (see reply).
func (h *hook) OnPublish(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	if cl.Net.Inline {
		return pk, nil // Broker.Publish
	}
	b := h.b
	s := h.session(cl)
	if s == nil {
		return pk, packets.ErrRejectPacket
	}
	async := b.cfg.Submit != nil && pk.FixedHeader.Qos <= 1
	m, err := decode(s, pk.TopicName, pk.Payload, time.Now())
	if err != nil {
		n := b.stats.malformed(s.id.DeviceID)
		if b.stats.shouldLog(s.id.DeviceID, m.Received) {
			b.log.Warn("mqtt malformed payload", "device", s.id.DeviceID, "client", s.clientID, "topic", pk.TopicName,
				"error", err, "malformed_total", n)
		}
		if async && pk.FixedHeader.Qos == 1 && s.acks.owes() {
			// After the PUBACKs owed, in order.
			if !h.takeSlot(s) {
				return pk, packets.ErrRejectPacket
			}
			b.push(cl, s, pendingAck{id: pk.PacketID, reply: replyIgnored, topic: pk.TopicName})
			return pk, packets.ErrRejectPacket
		}
		return pk, malformedReply(cl, pk)
	}
	m.QoS, m.Retain = pk.FixedHeader.Qos, pk.FixedHeader.Retain
	if async {
		return h.submit(cl, s, pk, m)
	}
	if s.acks.slots != nil && !b.waitAcks(b.ctx, s) {
		return pk, packets.ErrRejectPacket // closing
	}
	if err := b.handle(m); err != nil {
		b.stats.failed(s.id.DeviceID)
		if !b.isClosing() { // closing cancels the Handler calls under way: no news
			b.log.Error("mqtt handler refused a message", "device", s.id.DeviceID, "topic", pk.TopicName, "qos", m.QoS, "error", err)
		}
		return pk, failReply(cl, pk)
	}
	b.stats.accepted(s.id.DeviceID)
	if m.Sparkplug != nil {
		pk.FixedHeader.Retain = false // Sparkplug forbids retained messages but STATE, which devices never send
	}
	return pk, nil
}

// submit passes a QoS 0 or 1 publish to Config.Submit. The PUBACK of a
// QoS 1 publish that is not durable yet is left to sendAcks: mochi is told
// to drop the packet (ErrRejectPacket), so that it neither acknowledges it
// nor counts it against the connection's receive quota, and the
// connection reads on. Nothing else is lost by mochi dropping it: no
// device may subscribe to a topic a device publishes (MaySubscribe,
// MayPublish), so it has no subscribers and its retained copy none to
// serve. When the message is durable already and no PUBACK is owed before
// its own, mochi acknowledges it as usual.
func (h *hook) submit(cl *mochi.Client, s *session, pk packets.Packet, m Message) (packets.Packet, error) {
	b := h.b
	if pk.FixedHeader.Qos == 0 {
		// Nothing to acknowledge: the connection goes on at once.
		if _, err := b.submit(m); err != nil {
			b.stats.failed(s.id.DeviceID)
			if !b.isClosing() {
				b.log.Error("mqtt handler refused a message", "device", s.id.DeviceID, "topic", pk.TopicName, "qos", 0, "error", err)
			}
		} else {
			b.stats.accepted(s.id.DeviceID)
		}
		return pk, packets.ErrRejectPacket
	}
	if !h.takeSlot(s) {
		return pk, packets.ErrRejectPacket // closing: no PUBACK
	}
	ack, err := b.submit(m)
	if ack == nil && !s.acks.owes() {
		<-s.acks.slots
		if err != nil {
			b.stats.failed(s.id.DeviceID)
			if !b.isClosing() {
				b.log.Error("mqtt handler refused a message", "device", s.id.DeviceID, "topic", pk.TopicName, "qos", 1, "error", err)
			}
			return pk, failReply(cl, pk)
		}
		b.stats.accepted(s.id.DeviceID)
		return pk, nil
	}
	p := pendingAck{id: pk.PacketID, ack: ack, topic: pk.TopicName}
	switch {
	case err != nil:
		p.ack, p.reply = nil, replyFailed
		b.stats.failed(s.id.DeviceID)
		if !b.isClosing() {
			b.log.Error("mqtt handler refused a message", "device", s.id.DeviceID, "topic", pk.TopicName, "qos", 1, "error", err)
		}
	case ack == nil:
		b.stats.accepted(s.id.DeviceID)
	}
	b.push(cl, s, p)
	h.waitRoom(s)
	return pk, packets.ErrRejectPacket
}

// waitRoom returns once the connection's window has room for another
// message, so that mochi reads the device's next publish only then: while
// the store catches up, a device's further messages wait in its socket
// (TCP pushes back), not read and stamped in the broker, and a message's
// time from receipt to durable stays about the messages in flight
// (devices × MaxInflight, at most MaxQueue and one per device) ÷
// throughput. (The broker's queue is not waited for here: a token freed
// would wake every connection waiting for one in turn.)
func (h *hook) waitRoom(s *session) {
	select {
	case s.acks.slots <- struct{}{}:
		<-s.acks.slots
	case <-h.b.ctx.Done():
	}
}

// takeSlot waits for room in the connection's window of publishes awaiting
// their PUBACK; false when the broker is closing.
func (h *hook) takeSlot(s *session) bool {
	select {
	case s.acks.slots <- struct{}{}:
		return true
	default:
	}
	select {
	case s.acks.slots <- struct{}{}:
		return true
	case <-h.b.ctx.Done():
		return false
	}
}

// malformedReply is mochi's answer to a payload the decoders refuse. A
// resend would be just as malformed, so the publish is acknowledged as
// handled where the protocol has no better word: PUBACK 0x99 (payload
// format invalid) for QoS 1 in MQTT 5; a plain PUBACK or PUBREC for QoS 1
// in 3.1.1 and for QoS 2, with the message dropped; nothing for QoS 0.
func malformedReply(cl *mochi.Client, pk packets.Packet) error {
	switch {
	case pk.FixedHeader.Qos == 0:
		return packets.ErrRejectPacket
	case pk.FixedHeader.Qos == 1 && cl.Properties.ProtocolVersion == 5:
		return packets.ErrPayloadFormatInvalid
	}
	return packets.CodeSuccessIgnore
}

// failReply is mochi's answer when the Handler failed: the message is not
// durable, so it must not be acknowledged as received. For QoS 1 in MQTT
// 5 that is a PUBACK with 0x80 (unspecified error); where the protocol has
// no failed acknowledgement (3.1.1, and QoS 2, for which mochi would send
// a PUBACK instead of a PUBREC) the connection is closed without one, so
// that the device sends the message again when it reconnects. Closing the
// socket rather than stopping the client makes mochi's read loop fail,
// and so publish the device's will, as for any lost connection.
func failReply(cl *mochi.Client, pk packets.Packet) error {
	switch {
	case pk.FixedHeader.Qos == 0:
		return packets.ErrRejectPacket
	case pk.FixedHeader.Qos == 1 && cl.Properties.ProtocolVersion == 5:
		return packets.ErrUnspecifiedError
	}
	if cl.Net.Conn != nil {
		_ = cl.Net.Conn.Close()
	}
	return packets.ErrRejectPacket
}

// OnWillSent passes a device's last will to the Handler, unless the broker
// itself is closing. Nobody waits for an acknowledgement of a will, so a
// failure is logged and counted.
func (h *hook) OnWillSent(cl *mochi.Client, pk packets.Packet) {
	b := h.b
	s := h.session(cl)
	if s == nil || b.isClosing() {
		return
	}
	m, err := decode(s, pk.TopicName, pk.Payload, time.Now())
	if err != nil {
		n := b.stats.malformed(s.id.DeviceID)
		b.log.Warn("mqtt malformed last will", "device", s.id.DeviceID, "topic", pk.TopicName, "error", err, "malformed_total", n)
		return
	}
	m.QoS, m.Retain, m.Will = pk.FixedHeader.Qos, pk.FixedHeader.Retain, true
	s.willSent.Store(true)
	if err := b.handle(m); err != nil {
		b.stats.failed(s.id.DeviceID)
		b.log.Error("mqtt handler refused a last will", "device", s.id.DeviceID, "topic", pk.TopicName, "error", err)
		return
	}
	b.stats.accepted(s.id.DeviceID)
}

// OnDisconnect forgets the connection; mochi has sent the will before.
// With Config.ReportLost, a device without a will is reported offline to
// the Handler all the same (Message.Lost), unless another connection of the same client took
// its session over or the broker is closing.
func (h *hook) OnDisconnect(cl *mochi.Client, err error, expire bool) {
	b := h.b
	s := h.session(cl)
	b.sessions.Delete(cl)
	if s == nil {
		return
	}
	b.log.Info("mqtt device disconnected", "device", s.id.DeviceID, "client", s.clientID, "error", err)
	if !b.cfg.ReportLost || s.willSent.Load() || cl.IsTakenOver() || errors.Is(err, packets.ErrSessionTakenOver) || b.isClosing() {
		return
	}
	now := time.Now()
	topic := Topic{Company: s.id.CompanyCode, Machine: s.id.MachineCode, Kind: KindStatus}.String()
	m := Message{Device: s.id, ClientID: s.clientID, Topic: topic, Received: now, Payload: []byte("offline"),
		Kind: KindStatus, Status: &StatusReport{Online: false, At: now}, Lost: true}
	if err := b.handle(m); err != nil {
		b.stats.failed(s.id.DeviceID)
		b.log.Error("mqtt handler refused a lost connection", "device", s.id.DeviceID, "error", err)
	}
}
