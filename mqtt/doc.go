// Package mqtt is the embedded MQTT broker the shop-floor devices publish
// to (mochi-mqtt v2), with the topic schema, the payload decoders, and the
// authentication and ACL of devices.
//
// # Topics and payloads
//
// A device (a stack-light sensor, a current clamp, a gateway) belongs to
// one machine of one company and publishes under
//
//	nakamawashi/v1/{company}/{machine}/{kind}
//
// where the codes are 1 to 64 of a-z, 0-9 and "-" and kind is state,
// light, count or status; it may subscribe to its commands,
// nakamawashi/v1/{company}/{machine}/cmd. The payloads are small JSON
// objects (StateReport, LightReport, CountReport, StatusReport), read
// strictly: unknown fields, missing required fields, trailing data and
// payloads over MaxPayloadSize are refused. status is also the plain word
// online or offline, so that a device can set "offline" as its last will.
//
// Sparkplug B edge nodes publish under spBv1.0/{group}/{type}/{node}[/{device}]
// with the company code as group id and the machine code as edge node id
// (NBIRTH, NDATA, NDEATH, DBIRTH, DDATA, DDEATH), and may subscribe to
// their NCMD and DCMD topics and to a host's spBv1.0/STATE/{host}. Their
// payloads are decoded with package sparkplug.
//
// # Authentication and ACL
//
// Every connection logs in with a device's username and secret, which the
// Authenticator checks; there is no anonymous access. A refused login gets
// CONNACK "bad user name or password" (MQTT 5: 0x86, 3.1.1: 0x04, which
// mosquitto_pub prints as "Connection Refused: not authorised"). So does a
// login whose last will lies outside the device's topics. A device's
// client id is prefixed inside the broker with its company and machine,
// so that no device can take over another's session.
//
// A publish outside the device's topics (DeviceIdentity.MayPublish) is
// counted in DeviceStats.Denied and answered as mochi does: a QoS 0
// publish is dropped silently; a QoS 1 or 2 publish gets PUBACK or PUBREC
// 0x87 (not authorized) in MQTT 5; in 3.1.1, which has no failed
// acknowledgement, mochi disconnects the client (it writes a DISCONNECT
// packet, which 3.1.1 knows only from clients, and closes the connection),
// and the client's will is published. A subscription outside the ACL gets SUBACK 0x80 (3.1.1) or
// 0x87 (5).
//
// # Acknowledged means durable
//
// mochi calls the OnPublish hook synchronously in the goroutine that reads
// the device's connection, after the ACL check and before it writes the
// PUBACK (QoS 1) or PUBREC (QoS 2) (server.go, processPublish in v2.7.9).
// The hook decodes the payload and calls Config.Handler there, so the
// acknowledgement leaves only once the Handler has returned nil: the
// Handler returns once the message is committed. When it returns an
// error, no successful acknowledgement is sent: MQTT 5 QoS 1 gets PUBACK
// 0x80 (unspecified error); 3.1.1 and QoS 2 lose the connection without
// an acknowledgement, so that the device sends the message again when it
// reconnects. Delivery is at least once; the Handler must tolerate a
// repeat (counts are totals for that reason).
//
// Since each device's messages are handled one at a time in its own
// connection, a slow Handler holds back the devices that wait for it: the
// broker stops reading their sockets and TCP pushes back. At most
// Config.MaxQueue messages are in the Handler at once; nothing is queued
// in memory beyond them.
//
// With Config.Submit (what the ingest uses), a device's QoS 0 and 1
// publishes do not wait in its connection: Submit queues the message and
// returns an Ack, the hook tells mochi to drop the packet
// (packets.ErrRejectPacket, so that mochi neither acknowledges it nor
// counts it against the receive quota), and a goroutine of the connection
// writes each PUBACK once its Ack is done, in the order the publishes
// came (mochi's Client.WritePacket locks the client, so this is safe
// beside mochi's own writes). A device thus has up to Config.MaxInflight
// QoS 1 publishes awaiting their PUBACK, as MQTT clients do (Mosquitto's
// max_inflight is 20), and the store sees many more messages per
// transaction. Beyond that window the connection waits unread; beyond
// Config.MaxQueue messages awaiting an Ack across all devices, every
// connection does. A PUBACK owed to a connection that has ended is
// dropped: the device sends the message again. A failure, or a malformed
// payload behind PUBACKs still owed, is answered in its turn as above; a
// QoS 2 publish waits until the connection owes no PUBACK. mochi's
// routing of a dropped publish to subscribers is not missed: no device
// may subscribe to a topic devices publish.
//
// A payload the decoders refuse never reaches the Handler; it is counted
// in DeviceStats.Malformed, logged (at most once per device every ten
// seconds) and acknowledged where a resend could not help: PUBACK 0x99
// (payload format invalid) for MQTT 5 QoS 1, a plain acknowledgement for
// 3.1.1 and QoS 2. A device's last will goes to the Handler too, with
// Message.Will set, except when the broker itself is closing.
//
// # Imports
//
// The package talks to the store only through the Authenticator and the
// Handler it is given: it must never import a database driver, sqlstore,
// sqlite, postgres or http. It imports the root package for the error
// type, telemetry for machine states and sparkplug for its payloads.
package mqtt
