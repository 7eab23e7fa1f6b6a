// Package edge is the agent of a small box beside a machine (a Raspberry Pi
// or the like): it reads the machine's stack light, from the Linux GPIO
// character device (/dev/gpiochipN, line requests with edge events through
// ioctl, no cgo) or from lines of text that a command prints or a file holds
// ("2026-04-01T08:30:00.250+09:00 010": a time and the red, yellow and green
// lamps), debounces the lamps with telemetry's stack-light logic (a blinking
// lamp is on), and publishes the machine's state changes to the broker with
// the device's login, at QoS 1, with its last will on the status topic.
//
// Every state change is first written to a local SQLite buffer (an outbox)
// and published from there in order; a row is deleted only once the broker
// has acknowledged it. While the broker cannot be reached the changes wait
// in the buffer, and after a crash or a power cut the agent goes on with
// the first one not acknowledged: nothing is lost, and a change sent twice
// is harmless because the store keeps one interval per machine and start.
package edge
