package ingest_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// externalBroker returns the address of a Mosquitto that takes anonymous
// clients: NAKAMAWASHI_TEST_MQTT_BROKER (host:port) or 127.0.0.1:1883. The
// test is skipped when there is none.
func externalBroker(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("NAKAMAWASHI_TEST_MQTT_BROKER")
	if addr == "" {
		addr = "127.0.0.1:1883"
	}
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Skipf("no MQTT broker at %s (start Mosquitto, or set NAKAMAWASHI_TEST_MQTT_BROKER): %v", addr, err)
	}
	conn.Close()
	c, err := mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: addr, ClientID: "nakamawashi-probe"})
	if err != nil {
		t.Skipf("the MQTT broker at %s does not take anonymous clients: %v", addr, err)
	}
	c.Close()
	return addr
}

// External mode: devices publish to Mosquitto, nakamawashi subscribes with
// a shared subscription and stores the states; a message Mosquitto gets
// while nakamawashi is away is stored when it comes back.
func TestExternalBroker(t *testing.T) {
	addr := externalBroker(t)
	s := MustOpenStore(t)
	d := MustCreateDevices(t, s, 1)[0]
	group := fmt.Sprintf("nakamawashi-test-%d", time.Now().UnixNano())
	cfg := ingest.ServerConfig{Store: s, Broker: "tcp://" + addr, ClientID: group, ShareGroup: group, Connections: 2}
	srv, err := ingest.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Addr() != "" || srv.Broker != nil {
		t.Error("external mode started an embedded broker")
	}
	dev, err := mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: addr, ClientID: group + "-device"})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	pub := func(min int, state string) {
		t.Helper()
		p := fmt.Sprintf(`{"state":%q,"at":%q}`, state, t0.Add(time.Duration(min)*time.Minute).Format(time.RFC3339))
		if err := dev.Publish(context.Background(), d.topic(mqtt.KindState), []byte(p), 1, false); err != nil {
			t.Fatal(err)
		}
	}
	wantStates := func(want ...string) {
		t.Helper()
		eventually(t, 10*time.Second, func() error {
			if got := states(intervals(t, s, d.MachineID)); !slices.Equal(got, want) {
				return fmt.Errorf("states %v, want %v", got, want)
			}
			return nil
		})
	}
	pub(0, "running")
	pub(1, "alarm")
	// Malformed and unknown machines are dropped without stopping anything.
	dev.Publish(context.Background(), d.topic(mqtt.KindState), []byte(`{"state":"dancing"}`), 1, false)
	dev.Publish(context.Background(), mqtt.Topic{Company: "c1", Machine: "m999999", Kind: mqtt.KindState}.String(), []byte(`{"state":"idle"}`), 1, false)
	pub(2, "idle")
	wantStates("running", "alarm", "idle")

	// Away: the persistent sessions keep what comes meanwhile.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	pub(3, "setup")
	srv, err = ingest.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	wantStates("running", "alarm", "idle", "setup")
}

func TestExternalBrokerUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = ingest.Open(context.Background(), ingest.ServerConfig{Store: MustOpenStore(t), Broker: "tcp://" + addr})
	if nakamawashi.ErrorCode(err) != nakamawashi.EUNAVAILABLE {
		t.Errorf("err %v, want EUNAVAILABLE", err)
	}
	for _, bad := range []string{"http://x", "tcp://user:pw@x:1883", "tcp://", "x:1883"} {
		if _, _, err := ingest.ParseBrokerURL(bad); err == nil {
			t.Errorf("ParseBrokerURL(%q): err = nil", bad)
		}
	}
	if a, tls, err := ingest.ParseBrokerURL("mqtts://broker.example.jp"); err != nil || a != "broker.example.jp:8883" || !tls {
		t.Errorf("ParseBrokerURL(mqtts://broker.example.jp) = %s, %t, %v", a, tls, err)
	}
}
