package main_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// freePort returns a TCP address on the loopback that nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// bufferLen counts the messages waiting in an edge buffer.
func bufferLen(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return -1 // not created yet
	}
	return n
}

// TestEdgeOfflineBuffer: the edge agent reads a file of stack-light samples
// while the broker is down and keeps the states in its buffer; the server
// starts, the agent replays them; it is killed with SIGKILL in the middle
// and started again, and every state is stored, in order, with the buffer
// empty at the end.
func TestEdgeOfflineBuffer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	dev := createDevices(t, dir, 1)[0]
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte(dev.secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, machine := dev.Topic()

	// Samples of a stack light: green, yellow, red (blinking), all dark,
	// in turn, ten seconds apart, an hour ago.
	t0 := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	var lines strings.Builder
	light := telemetry.NewStackLight("")
	const changes = 600
	at := t0
	for i := range changes {
		bits := []string{"001", "010", "100", "000"}[i%4]
		for k := range 3 { // a blinking red: on, off, on, 400 ms apart
			if bits == "100" && k == 1 {
				bits = "000"
			} else if bits == "000" && i%4 == 2 {
				bits = "100"
			}
			s := telemetry.LightSample{Time: at, Red: bits[0] == '1', Yellow: bits[1] == '1', Green: bits[2] == '1'}
			if err := light.Observe(s); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&lines, "%s %s\n", at.Format(time.RFC3339Nano), bits)
			at = at.Add(400 * time.Millisecond)
			if i%4 != 2 {
				break
			}
		}
		at = at.Add(10 * time.Second)
	}
	want := light.Close(at.Add(time.Minute))
	samples := filepath.Join(dir, "samples.txt")
	if err := os.WriteFile(samples, []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	mqttAddr := freePort(t)
	buffer := filepath.Join(dir, "edge.db")
	runEdge := func(input string) *exec.Cmd {
		cmd := exec.Command(bin, "edge", "--broker", "tcp://"+mqttAddr, "--username", dev.Username, "--secret-file", secretFile,
			"--machine", machine, "--buffer", buffer, "--input-file", input)
		cmd.Env = append(os.Environ(), "LANG=C")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	wait := func(what string, d time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(d)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("after %s: %s (buffer: %d of %d)", d, what, bufferLen(t, buffer), len(want))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	// The broker is down: every state waits in the buffer.
	edge1 := runEdge(samples)
	wait("the buffer holds every state", 30*time.Second, func() bool { return bufferLen(t, buffer) == len(want) })

	// The server starts; the agent replays; kill it half-way.
	serve := exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--mqtt-addr", mqttAddr, "--log-level", "warn")
	serve.Env = append(os.Environ(), "LANG=C")
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
		}
	}()
	wait("replay under way", 20*time.Second, func() bool { n := bufferLen(t, buffer); return n >= 0 && n < len(want)*2/3 })
	if err := edge1.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	edge1.Wait()
	left := bufferLen(t, buffer)
	t.Logf("killed the edge agent with %d of %d states left in its buffer", left, len(want))
	if left == 0 {
		t.Log("the replay ended before the kill; the restart has nothing to do")
	}

	// Started again with no new samples: it replays the rest and exits.
	edge2 := runEdge(empty)
	done := make(chan error, 1)
	go func() { done <- edge2.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("edge after the restart: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the edge agent did not empty its buffer within a minute")
	}
	if n := bufferLen(t, buffer); n != 0 {
		t.Fatalf("%d states left in the buffer", n)
	}

	// Every state, in order, at its time.
	serve.Process.Kill()
	serve.Wait()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.FindStateIntervals(sys, dev.MachineID, t0.Add(-time.Minute), at)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < len(want) {
		t.Fatalf("%d intervals stored, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.State != w.State.String() || !g.Start.Equal(w.Start) {
			t.Fatalf("interval %d: %s from %s, want %s from %s", i, g.State, g.Start.Format(time.RFC3339Nano), w.State, w.Start.Format(time.RFC3339Nano))
		}
		if i+1 < len(want) && !g.End.Equal(want[i+1].Start) {
			t.Fatalf("interval %d ends %s, want %s", i, g.End.Format(time.RFC3339Nano), want[i+1].Start.Format(time.RFC3339Nano))
		}
	}
}
