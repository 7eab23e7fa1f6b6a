package main_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/sqlite"
)

var sys = nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)

// buildBinary builds the command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nakamawashi")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type testDevice struct {
	*nakamawashi.Device
	secret string
}

// createDevices registers n devices, one per machine, in the SQLite
// database of the data directory.
func createDevices(t *testing.T, dir string, n int) []testDevice {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co := &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: "株式会社キル製作所", NameKana: "キルセイサクショ",
		PostalCode: "144-0051", Prefecture: "東京都", City: "大田区", Street: "西蒲田7-1-1", Phone: "03-1234-5678"}
	if err := s.CreateCompany(sys, co); err != nil {
		t.Fatal(err)
	}
	var out []testDevice
	for range n {
		m := &nakamawashi.Machine{CompanyID: co.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := s.CreateMachine(sys, m); err != nil {
			t.Fatal(err)
		}
		d := &nakamawashi.Device{CompanyID: co.ID, MachineID: m.ID, Name: "信号灯", Kind: nakamawashi.DeviceStackLight}
		secret, err := s.CreateDevice(sys, d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, testDevice{d, secret})
	}
	return out
}

// startServe starts the binary's serve and returns the process and the
// broker's address, read from its output.
func startServe(t *testing.T, bin, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--mqtt-addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Env = append(os.Environ(), "LANG=C")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`mqtt://([0-9.]+:[0-9]+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no MQTT address")
		return nil, ""
	}
}

// TestKillLosesNoAcknowledgedMessage publishes QoS 1 states from several
// devices into a real serve process, kills it with SIGKILL in the middle,
// and finds every message it acknowledged in the database.
func TestKillLosesNoAcknowledgedMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	devs := createDevices(t, dir, 8)
	cmd, addr := startServe(t, bin, dir)

	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Millisecond) }
	state := func(i int) string { return []string{"running", "idle", "setup", "alarm"}[i%4] }
	var mu sync.Mutex
	acked := make([][]int, len(devs)) // per device, the acknowledged message numbers
	var wg sync.WaitGroup
	killed := make(chan struct{})
	for k, d := range devs {
		c, err := mqtt.Dial(context.Background(), mqtt.ClientConfig{Addr: addr, ClientID: d.Username, Username: d.Username, Password: d.secret, MaxInflight: 4})
		if err != nil {
			t.Fatal(err)
		}
		company, machine := d.Topic()
		topic := mqtt.Topic{Company: company, Machine: machine, Kind: mqtt.KindState}.String()
		wg.Go(func() {
			var inner sync.WaitGroup
			for i := 0; ; i++ {
				select {
				case <-killed:
					inner.Wait()
					return
				case <-c.Done():
					inner.Wait()
					return
				default:
				}
				inner.Add(1)
				payload := fmt.Sprintf(`{"state":%q,"at":%q}`, state(i), at(i).Format(time.RFC3339Nano))
				c.PublishAsync(context.Background(), topic, []byte(payload), 1, false, func(err error) {
					defer inner.Done()
					if err == nil {
						mu.Lock()
						acked[k] = append(acked[k], i)
						mu.Unlock()
					}
				})
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(killed)
	cmd.Wait()
	wg.Wait()

	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "nakamawashi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	total := 0
	for k, d := range devs {
		ivs, err := s.FindStateIntervals(sys, d.MachineID, t0.Add(-time.Minute), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		stored := map[time.Time]string{}
		for _, iv := range ivs {
			stored[iv.Start] = iv.State
		}
		for _, i := range acked[k] {
			if got, ok := stored[at(i)]; !ok || got != state(i) {
				t.Errorf("device %d message %d (%s at %s) was acknowledged but is not stored (got %q)", k, i, state(i), at(i), got)
			}
		}
		total += len(acked[k])
	}
	if total < 100 {
		t.Errorf("only %d messages acknowledged before the kill; the test proves little", total)
	}
	t.Logf("%d acknowledged messages from %d devices, all stored after SIGKILL", total, len(devs))

	// The server starts again on the same database.
	startServe(t, bin, dir)
}
