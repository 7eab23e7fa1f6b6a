package main_test

import (
	"context"
	"net"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// serve starts the embedded broker: a registered device publishes with
// mosquitto_pub and its state is stored once acknowledged.
func TestServeMQTT(t *testing.T) {
	m, out := MustRunServer(t, "--demo")
	if m.MQTT == nil || !strings.Contains(out.String(), "mqtt://127.0.0.1:") {
		t.Fatalf("no broker started:\n%s", out)
	}
	companies, _, err := m.Store.FindCompanies(sys, nakamawashi.CompanyFilter{})
	if err != nil || len(companies) == 0 {
		t.Fatalf("demo companies: %v", err)
	}
	var machine *nakamawashi.Machine
	for _, co := range companies {
		ms, err := m.Store.FindMachines(sys, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > 0 {
			machine = ms[0]
			break
		}
	}
	if machine == nil {
		t.Fatal("the demo has no machine")
	}
	d := &nakamawashi.Device{CompanyID: machine.CompanyID, MachineID: machine.ID, Name: "2号機 信号灯", Kind: nakamawashi.DeviceStackLight}
	secret, err := m.Store.CreateDevice(sys, d)
	if err != nil {
		t.Fatal(err)
	}
	company, mc := d.Topic()
	topic := mqtt.Topic{Company: company, Machine: mc, Kind: mqtt.KindState}.String()
	host, port, _ := net.SplitHostPort(m.MQTT.Addr())
	if _, err := exec.LookPath("mosquitto_pub"); err == nil {
		cmd := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-u", d.Username, "-P", secret, "-q", "1",
			"-t", topic, "-m", `{"state":"running"}`)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_pub: %v\n%s", err, b)
		}
	} else {
		t.Log("mosquitto_pub not installed; publishing with the Go client")
		c, err := mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: m.MQTT.Addr(), Username: d.Username, Password: secret, ClientID: "t"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Publish(context.Background(), topic, []byte(`{"state":"running"}`), 1, false); err != nil {
			t.Fatal(err)
		}
	}
	// mosquitto_pub disconnects after its PUBACK: running, then off.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ivs, err := m.Store.FindStateIntervals(sys, machine.ID, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// The demo's simulator may have reported this machine before;
		// what counts is the interval of the device registered here.
		if slices.ContainsFunc(ivs, func(iv nakamawashi.StateInterval) bool { return iv.State == "running" && iv.DeviceID == d.ID }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("intervals %+v, want running from device %d", ivs, d.ID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A wrong password is refused.
	_, err = mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: m.MQTT.Addr(), Username: d.Username, Password: "nkd_wrong", ClientID: "t"})
	if nakamawashi.ErrorCode(err) != nakamawashi.EUNAUTHORIZED {
		t.Errorf("wrong password: %v, want EUNAUTHORIZED", err)
	}
}

// A taken MQTT port stops serve with a message that says how to go on.
func TestServeMQTTAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	m, _ := newMain(t, nil)
	err = m.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--mqtt-addr", ln.Addr().String(), "--data", t.TempDir()})
	if err == nil {
		m.Close()
		t.Fatal("serve on a taken MQTT port: err = nil")
	}
	for _, want := range []string{ln.Addr().String(), "--mqtt-addr", "--mqtt-broker"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if m.HTTP != nil || m.MQTT != nil {
		t.Error("servers left open after the failure")
	}
}

// serve --demo without --mqtt-addr moves to a free port when 1883 is taken.
func TestServeDemoMQTTPortTaken(t *testing.T) {
	if ln, err := net.Listen("tcp", ":1883"); err == nil {
		defer ln.Close() // taken by the test, if nobody else has it
	}
	m, out := newMain(t, nil)
	if err := m.Run(context.Background(), []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", t.TempDir()}); err != nil {
		t.Fatalf("serve --demo: %v\n%s", err, out)
	}
	defer m.Close()
	re := regexp.MustCompile(`mqtt://localhost:([0-9]+)`)
	got := re.FindStringSubmatch(out.String())
	if got == nil || got[1] == "1883" {
		t.Errorf("the demo's broker address is not a free port:\n%s", out)
	}
}

func TestMQTTConfig(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--mqtt-addr", "1883"}, "--mqtt-addr"},
		{[]string{"--mqtt-broker", "http://x"}, "--mqtt-broker"},
		{[]string{"--mqtt-broker", "tcp://user:pw@x:1883"}, "--mqtt-broker"},
		{[]string{"--mqtt-tls-addr", ":8883"}, "--mqtt-tls-cert"},
	} {
		m, _ := newMain(t, nil)
		err := m.Run(context.Background(), append([]string{"serve", "--data", t.TempDir()}, tt.args...))
		if err == nil {
			m.Close()
			t.Errorf("%v: err = nil", tt.args)
		} else if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v; want it to name %s", tt.args, err, tt.want)
		}
	}
}
