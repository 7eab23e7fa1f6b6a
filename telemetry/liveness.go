package telemetry

import "time"

// DefaultSilence is how long a device may stay silent before it counts as
// offline.
const DefaultSilence = 60 * time.Second

// Liveness tracks whether one device is still talking: it is offline once
// its last will has arrived (the broker's word that the connection dropped)
// or when nothing has been heard from it for longer than Silence. Time comes
// from the caller. The zero Liveness is ready to use and offline.
type Liveness struct {
	// Silence is DefaultSilence when zero.
	Silence time.Duration

	lastSeen time.Time
	heard    bool
	willAt   time.Time
	will     bool
}

func (l *Liveness) silence() time.Duration {
	if l.Silence <= 0 {
		return DefaultSilence
	}
	return l.Silence
}

// Heard records a message from the device at t. It clears a last will
// that arrived at or before t: the device has come back.
func (l *Liveness) Heard(t time.Time) {
	if !l.heard || t.After(l.lastSeen) {
		l.lastSeen, l.heard = t, true
	}
	if l.will && !t.Before(l.willAt) {
		l.will = false
	}
}

// Will records the device's last will, arriving at t.
func (l *Liveness) Will(t time.Time) {
	l.will, l.willAt = true, t
}

// LastSeen returns when the device was last heard from; ok is false if it
// never was.
func (l *Liveness) LastSeen() (t time.Time, ok bool) { return l.lastSeen, l.heard }

// Offline reports whether the device is offline at now.
func (l *Liveness) Offline(now time.Time) bool {
	_, off := l.OfflineSince(now)
	return off
}

// OfflineSince reports whether the device is offline at now and since when:
// the will's arrival, or the end of the allowed silence after the last
// message. A device never heard from is offline since the zero time.
func (l *Liveness) OfflineSince(now time.Time) (time.Time, bool) {
	if l.will && !now.Before(l.willAt) {
		return l.willAt, true
	}
	if !l.heard {
		return time.Time{}, true
	}
	if deadline := l.lastSeen.Add(l.silence()); now.After(deadline) {
		return deadline, true
	}
	return time.Time{}, false
}
