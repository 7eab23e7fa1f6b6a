// Package sparkplug reads and writes Eclipse Sparkplug B messages: the
// topics, the protobuf payloads, and the session state a host application
// keeps for each edge node and device. It maps the metrics of a device to a
// machine state (off, idle, setup, running, alarm) by configurable rules.
//
// It follows the Eclipse Sparkplug specification 3.0.0 (topic namespace
// spBv1.0) and the payload schema of Eclipse Tahu's sparkplug_b.proto;
// payloads of 2.2 edge nodes decode the same way, as the schema did not
// change. The protobuf wire format is decoded and encoded by hand
// (wire.go), so there is no generated code and no build step.
//
// The package has four parts:
//
//   - ParseTopic and Topic, for spBv1.0/{group}/{type}/{node}[/{device}]
//     and spBv1.0/STATE/{host} (topic.go);
//   - DecodePayload and EncodePayload, with every datatype of the schema,
//     DataSets, Templates, property sets and metadata (payload.go,
//     value.go, complex.go, compress.go for the compressed payloads of
//     Tahu clients); RebirthRequest builds the NCMD a host sends
//     to ask an edge node for a new birth;
//   - Tracker, which checks bdSeq and seq, resolves metric aliases, keeps
//     the last value of every metric and says when a rebirth is needed
//     (tracker.go);
//   - StateMap, the rules that turn metrics into a machine state
//     (state.go).
//
// # Signed integers
//
// The schema carries Int8, Int16 and Int32 in the uint32 int_value and
// Int64 in the uint64 long_value, as two's complement. EncodePayload writes
// the 32-bit form (-1 as 0xFFFFFFFF), as Tahu's clients do; DecodePayload
// keeps only the low bits of the datatype's width and sign-extends them, so
// it reads both the 32-bit form and the narrow one (-1 as 0xFF for Int8).
// Integer types are accepted from either int_value or long_value, since
// Tahu's JavaScript client writes UInt32 to long_value; EncodePayload
// writes UInt32 to int_value, the field the schema gives it.
//
// The package is pure: no I/O, no clock but Tracker.Now. It must never
// import net or a database; the MQTT connection lives elsewhere and hands
// it topics and payloads.
package sparkplug
