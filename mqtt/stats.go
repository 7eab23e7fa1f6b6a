package mqtt

import (
	"sync"
	"time"
)

// DeviceStats counts what one device sent.
type DeviceStats struct {
	Accepted  uint64 // messages (and wills) the Handler took
	Malformed uint64 // payloads the decoders refused
	Denied    uint64 // publishes, subscriptions and wills outside the device's ACL
	Failed    uint64 // messages the Handler returned an error for
}

// Stats are the broker's counters since it was created.
type Stats struct {
	AuthFailures uint64                // refused logins, of any device or none
	Devices      map[int64]DeviceStats // by device id
}

// Stats returns a copy of the counters.
func (b *Broker) Stats() Stats {
	b.stats.mu.Lock()
	defer b.stats.mu.Unlock()
	out := Stats{AuthFailures: b.stats.auth, Devices: make(map[int64]DeviceStats, len(b.stats.devices))}
	for id, d := range b.stats.devices {
		out.Devices[id] = d.DeviceStats
	}
	return out
}

// DeviceStats returns the counters of one device; zero for a device the
// broker has not heard from.
func (b *Broker) DeviceStats(id int64) DeviceStats {
	b.stats.mu.Lock()
	defer b.stats.mu.Unlock()
	if d := b.stats.devices[id]; d != nil {
		return d.DeviceStats
	}
	return DeviceStats{}
}

// stats holds the counters. The map grows with the devices that connect,
// which the registry bounds.
type stats struct {
	mu      sync.Mutex
	auth    uint64
	devices map[int64]*deviceStats
}

type deviceStats struct {
	DeviceStats
	logged time.Time // the last warning logged for the device
}

func (s *stats) device(id int64) *deviceStats {
	d := s.devices[id]
	if d == nil {
		d = &deviceStats{}
		s.devices[id] = d
	}
	return d
}

func (s *stats) authFailed() {
	s.mu.Lock()
	s.auth++
	s.mu.Unlock()
}

func (s *stats) add(id int64, f func(*DeviceStats) *uint64) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := f(&s.device(id).DeviceStats)
	*p++
	return *p
}

func (s *stats) accepted(id int64) uint64 {
	return s.add(id, func(d *DeviceStats) *uint64 { return &d.Accepted })
}

func (s *stats) malformed(id int64) uint64 {
	return s.add(id, func(d *DeviceStats) *uint64 { return &d.Malformed })
}

func (s *stats) denied(id int64) uint64 {
	return s.add(id, func(d *DeviceStats) *uint64 { return &d.Denied })
}

func (s *stats) failed(id int64) uint64 {
	return s.add(id, func(d *DeviceStats) *uint64 { return &d.Failed })
}

// shouldLog reports whether a warning about the device may be logged now:
// one per logEvery, so that a device gone wrong cannot flood the log. The
// counters carry the rest.
func (s *stats) shouldLog(id int64, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.device(id)
	if now.Sub(d.logged) < logEvery {
		return false
	}
	d.logged = now
	return true
}
