package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
)

// tahuVersion is the Eclipse Tahu Node client the test installs.
const tahuVersion = "3.2.4"

// installTahu installs the pinned sparkplug-client into a temporary
// directory with npm and copies the test's script there. It skips the test
// when npm is missing or the registry cannot be reached, unless
// NAKAMAWASHI_TEST_TAHU=1 asks for the test to run.
func installTahu(t *testing.T) string {
	t.Helper()
	required := os.Getenv("NAKAMAWASHI_TEST_TAHU") == "1"
	skip := func(format string, args ...any) {
		t.Helper()
		if required {
			t.Fatalf(format+" (NAKAMAWASHI_TEST_TAHU=1 requires the Tahu test)", args...)
		}
		t.Skipf(format, args...)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skip("npm is not on the PATH: install Node.js and npm to run the test with the Eclipse Tahu client")
	}
	if _, err := exec.LookPath("node"); err != nil {
		skip("node is not on the PATH: install Node.js to run the test with the Eclipse Tahu client")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, "sparkplug-client@"+tahuVersion)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		skip("npm install sparkplug-client@%s failed (is the npm registry reachable?): %v\n%s", tahuVersion, err, out)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "tahu", "edge.js"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "edge.js"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestTahuClient has the real Eclipse Tahu Node client publish an NBIRTH, a
// DBIRTH and DDATA (by alias) to the embedded broker with a Sparkplug
// device's credentials, and finds the states the metrics say in the store.
func TestTahuClient(t *testing.T) {
	if testing.Short() {
		t.Skip("installs the Tahu client with npm")
	}
	dir := installTahu(t)
	s := MustOpenStore(t)
	dev := MustCreateDevices(t, s, 1)[0]
	node := &nakamawashi.Device{CompanyID: dev.CompanyID, MachineID: dev.MachineID, Name: "Sparkplug エッジ", Kind: nakamawashi.DeviceSparkplug}
	secret, err := s.CreateDevice(sys, node)
	if err != nil {
		t.Fatal(err)
	}
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	company, machine := node.Topic()

	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "edge.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TAHU_URL=mqtt://"+srv.Addr(), "TAHU_USERNAME="+node.Username, "TAHU_PASSWORD="+secret,
		"TAHU_GROUP="+company, "TAHU_NODE="+machine, "TAHU_DEVICE=lathe",
		"TAHU_T0="+strconv.FormatInt(t0.UnixMilli(), 10))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "done") {
		t.Fatalf("node edge.js: %v\n%s", err, out)
	}

	type want struct {
		state string
		at    time.Duration
	}
	wants := []want{{"idle", 0}, {"setup", 60 * time.Second}, {"running", 120 * time.Second}, {"alarm", 300 * time.Second}, {"idle", 360 * time.Second}}
	eventually(t, 10*time.Second, func() error {
		ivs := intervals(t, s, node.MachineID)
		var got []want
		for _, iv := range ivs {
			got = append(got, want{iv.State, iv.Start.Sub(t0)})
		}
		// The client's disconnect at the end turns the machine off.
		if n := len(got); n == len(wants)+1 && got[n-1].state == "off" && got[n-1].at > time.Hour-time.Minute {
			got = got[:n-1]
		}
		if !slices.Equal(got, wants) {
			return fmt.Errorf("intervals %v, want %v", got, wants)
		}
		for _, iv := range ivs {
			if iv.DeviceID != node.ID {
				return errors.New("an interval not from the Sparkplug device")
			}
		}
		return nil
	})
}
