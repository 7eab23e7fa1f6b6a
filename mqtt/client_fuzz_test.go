package mqtt_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// FuzzDecodeMessage: a message from an external broker, topic and payload
// from outside, never panics, and what it accepts names its machine as the
// topic does.
func FuzzDecodeMessage(f *testing.F) {
	f.Add("nakamawashi/v1/c1/m2/state", []byte(`{"state":"running"}`))
	f.Add("nakamawashi/v1/c1/m2/light", []byte(`{"green":true,"yellow":false,"red":false}`))
	f.Add("nakamawashi/v1/c1/m2/status", []byte(`offline`))
	f.Add("spBv1.0/c1/NDATA/m2", []byte{0x08, 0x01, 0x18, 0x01})
	f.Add("nakamawashi/v1/c1/m2/cmd", []byte(`{}`))
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		now := time.Now()
		m, err := mqtt.DecodeMessage(topic, payload, now)
		if err != nil {
			if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if !strings.Contains(topic, m.Device.CompanyCode) || !strings.Contains(topic, m.Device.MachineCode) || m.Device.DeviceID != 0 {
			t.Fatalf("identity %+v from topic %q", m.Device, topic)
		}
		n := 0
		for _, set := range []bool{m.State != nil, m.Light != nil, m.Count != nil, m.Status != nil, m.Sparkplug != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d reports set for %q", n, topic)
		}
	})
}

// FuzzClientRead: whatever a broker sends after its CONNACK, the client
// never panics; it ends the connection or goes on.
func FuzzClientRead(f *testing.F) {
	f.Add([]byte{0x40, 0x02, 0x00, 0x01})                          // PUBACK 1
	f.Add([]byte{0x30, 0x07, 0x00, 0x01, 'a', 'h', 'e', 'l', 'l'}) // PUBLISH QoS 0
	f.Add([]byte{0x32, 0x06, 0x00, 0x01, 'a', 0x00, 0x05, 'x'})    // PUBLISH QoS 1
	f.Add([]byte{0x90, 0x03, 0x00, 0x01, 0x80})                    // SUBACK refused
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		// A pipe, not TCP: tens of thousands of runs would use up the
		// machine's ephemeral ports.
		client, broker := net.Pipe()
		go func() {
			defer broker.Close()
			buf := make([]byte, 1024)
			broker.Read(buf)                             // CONNECT
			broker.Write([]byte{0x20, 0x02, 0x00, 0x00}) // CONNACK
			broker.Write(b)                              // then the connection ends
		}()
		c, err := mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: "pipe", ClientID: "fuzz",
			Dialer:    func(context.Context, string) (net.Conn, error) { return client, nil },
			OnMessage: func(m mqtt.Received, ack func()) { ack() }})
		if err != nil {
			client.Close() // and the broker's side stops writing
			return
		}
		select {
		case <-c.Done():
		case <-time.After(time.Second):
			t.Fatal("the client did not notice the end of the connection")
		}
		c.Close()
	})
}
