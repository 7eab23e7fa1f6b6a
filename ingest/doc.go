// Package ingest turns what the shop-floor devices publish into machine
// state intervals and stores them durably and fast.
//
// An Ingester takes the messages the broker decoded (package mqtt): a
// state as the device judged it, the lamps of a stack light (debounced by
// package telemetry, so that a blinking lamp is on), part counts, the
// device's status and last will, and Sparkplug B births, data and deaths
// (followed by a sparkplug.Tracker and mapped by a sparkplug.StateMap).
// Each machine's state is followed in memory; a message that changes it
// becomes a state interval.
//
// # Group commit
//
// The intervals of many messages from many devices are written in one
// transaction (nakamawashi.DeviceService.AppendStateIntervals) by one
// writer: while a transaction commits, the next messages gather in a
// bounded queue, and the next transaction takes them all. Handle returns
// only once the message's transaction has committed, and the embedded
// broker's Submit sends the PUBACK only once the Pending that Submit
// returned is done, so the broker's PUBACK means the message is durable; a message that changes nothing
// waits for the last write of its machine. A full queue makes Handle
// wait, which holds the device's connection: TCP pushes back. A batch the
// store refuses is split, so that one device's bad interval fails only
// its own message.
//
// # Offline
//
// A device's last will, its status "offline" and a connection that ends
// without a will (mqtt.Message.Lost; the broker closes connections that
// stay silent for 1.5 keepalives) make its machine off.
//
// # Modes
//
// Server wires the store, the Ingester and either the embedded broker
// (mqtt.Broker, which authenticates devices from the store) or a client
// of an external broker (Mosquitto, EMQX) with a shared subscription, in
// which the external broker authenticates the devices and checks their
// topics.
//
// The package must never import a database driver, sqlstore or http: it
// reaches the store through the Store interface.
package ingest
