package mqtt_test

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// These tests drive the broker with the Mosquitto command-line clients, a
// real MQTT implementation that owes nothing to mochi.

// mosquittoClient returns the path of a Mosquitto client, or skips.
func mosquittoClient(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		tb.Skipf("%s not found (Debian package mosquitto-clients): %v", name, err)
	}
	return path
}

// mosquittoArgs returns the connection arguments for the broker and a
// device.
func mosquittoArgs(tb testing.TB, b *mqtt.Broker, user, pass string, args ...string) []string {
	tb.Helper()
	host, port, err := net.SplitHostPort(b.Addr())
	if err != nil {
		tb.Fatal(err)
	}
	return append([]string{"-h", host, "-p", port, "-u", user, "-P", pass}, args...)
}

// runMosquitto runs a client to its end and returns its output.
func runMosquitto(tb testing.TB, b *mqtt.Broker, name, user, pass string, args ...string) (string, error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, mosquittoClient(tb, name), mosquittoArgs(tb, b, user, pass, args...)...).CombinedOutput()
	return string(out), err
}

func TestMosquittoPublish(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})

	out, err := runMosquitto(t, b, "mosquitto_pub", "dev1", "secret1", "-i", "light-1", "-q", "1",
		"-t", "nakamawashi/v1/c1/m1/state", "-m", `{"state":"running","at":"2026-04-01T08:30:00+09:00"}`)
	if err != nil {
		t.Fatalf("mosquitto_pub: %v\n%s", err, out)
	}
	m := rec.next(t)
	if m.State == nil || m.State.State != telemetry.Running || m.Device.DeviceID != 1 || m.QoS != 1 || m.ClientID != "light-1" || m.Will {
		t.Errorf("Handler got %+v", m)
	}
	if want := time.Date(2026, 4, 1, 8, 30, 0, 0, jst); !m.State.At.Equal(want) {
		t.Errorf("At = %v, want %v", m.State.At, want)
	}

	out, err = runMosquitto(t, b, "mosquitto_pub", "dev2", "secret2", "-V", "mqttv5", "-q", "1",
		"-t", "nakamawashi/v1/c1/m2/light", "-m", `{"green":false,"yellow":false,"red":true,"blink":{"red":true}}`)
	if err != nil || strings.Contains(out, "failed") {
		t.Fatalf("mosquitto_pub MQTT 5: %v\n%s", err, out)
	}
	m = rec.next(t)
	if m.Light == nil || !m.Light.Red || m.Device.DeviceID != 2 || m.Light.At.IsZero() {
		t.Errorf("Handler got %+v (light %+v)", m, m.Light)
	}
}

func TestMosquittoWrongPassword(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})
	for _, user := range []string{"dev1", "nobody"} {
		out, err := runMosquitto(t, b, "mosquitto_pub", user, "wrong", "-t", "nakamawashi/v1/c1/m1/state", "-m", `{"state":"idle"}`)
		if err == nil {
			t.Errorf("%s: mosquitto_pub with a wrong password succeeded:\n%s", user, out)
		}
		if !strings.Contains(out, "not authorised") && !strings.Contains(out, "Connection Refused") {
			t.Errorf("%s: output %q does not say the connection was refused", user, out)
		}
	}
	if got := b.Stats().AuthFailures; got != 2 {
		t.Errorf("AuthFailures = %d, want 2", got)
	}
	if n := rec.len(); n != 0 {
		t.Errorf("Handler got %d messages", n)
	}
}

func TestMosquittoDenied(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})
	other := "nakamawashi/v1/c2/m1/state" // dev3's machine, not dev1's

	// MQTT 3.1.1, QoS 1: mochi drops the connection instead of a PUBACK.
	out, err := runMosquitto(t, b, "mosquitto_pub", "dev1", "secret1", "-q", "1", "-t", other, "-m", `{"state":"idle"}`)
	if err == nil {
		t.Errorf("MQTT 3.1.1: mosquitto_pub outside the ACL succeeded:\n%s", out)
	}
	// MQTT 5, QoS 1: PUBACK 0x87.
	out, _ = runMosquitto(t, b, "mosquitto_pub", "dev1", "secret1", "-V", "mqttv5", "-q", "1", "-t", other, "-m", `{"state":"idle"}`)
	if !strings.Contains(out, "Not authorized") {
		t.Errorf("MQTT 5: output %q does not say not authorized", out)
	}
	// Subscribing to another device's topic, or to its own state, is refused.
	out, _ = runMosquitto(t, b, "mosquitto_sub", "dev1", "secret1", "-t", other, "-W", "2")
	if !strings.Contains(out, "denied") {
		t.Errorf("mosquitto_sub outside the ACL: output %q, want the subscription denied", out)
	}

	waitFor(t, func() bool { return b.DeviceStats(1).Denied == 3 })
	if n := rec.len(); n != 0 {
		t.Errorf("Handler got %d messages, want none", n)
	}
}

// TestMosquittoWill: a device subscribed to its commands, with "offline"
// as its will, is killed; the will reaches the Handler.
func TestMosquittoWill(t *testing.T) {
	rec := newRecorder()
	b := MustStartBroker(t, mqtt.Config{Handler: rec.handle})
	status := "nakamawashi/v1/c1/m1/status"
	cmdTopic := "nakamawashi/v1/c1/m1/cmd"

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	sub := exec.CommandContext(ctx, mosquittoClient(t, "mosquitto_sub"), mosquittoArgs(t, b, "dev1", "secret1",
		"-i", "light-1", "-q", "1", "-t", cmdTopic, "--will-topic", status, "--will-payload", "offline", "--will-qos", "1")...)
	stdout, err := sub.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Start(); err != nil {
		t.Fatal(err)
	}
	defer sub.Wait()
	defer sub.Process.Kill()

	// Commands reach the device once it has subscribed; send until one does.
	lines := make(chan string)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			lines <- s.Text()
		}
		close(lines)
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for got := false; !got; {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("mosquitto_sub ended before a command came")
			}
			if line != `{"cmd":"ping"}` {
				t.Fatalf("mosquitto_sub printed %q", line)
			}
			got = true
		case <-tick.C:
			if err := b.Publish(cmdTopic, []byte(`{"cmd":"ping"}`), false, 1); err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("no command reached mosquitto_sub")
		}
	}

	if n := rec.len(); n != 0 {
		t.Fatalf("Handler got %d messages before the kill", n)
	}
	if err := sub.Process.Kill(); err != nil { // SIGKILL: no DISCONNECT
		t.Fatal(err)
	}
	m := rec.next(t)
	if !m.Will || m.Status == nil || m.Status.Online || m.Topic != status || m.Device.DeviceID != 1 {
		t.Errorf("Handler got %+v, want the offline will", m)
	}
}

// TestMosquittoWillOutsideACL: a will on another device's topic refuses the
// login.
func TestMosquittoWillOutsideACL(t *testing.T) {
	b := MustStartBroker(t, mqtt.Config{Handler: newRecorder().handle})
	out, err := runMosquitto(t, b, "mosquitto_pub", "dev1", "secret1", "-t", "nakamawashi/v1/c1/m1/status", "-m", "online",
		"--will-topic", "nakamawashi/v1/c2/m1/status", "--will-payload", "offline")
	if err == nil {
		t.Errorf("a will outside the ACL was accepted:\n%s", out)
	}
	if got := b.DeviceStats(1).Denied; got != 1 {
		t.Errorf("Denied = %d, want 1", got)
	}
}
