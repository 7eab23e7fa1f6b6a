package main_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// bench ingest runs end to end and prints the documented JSON keys; the
// figures themselves are for the machine it runs on.
func TestBenchIngestJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the load generator")
	}
	m, out := newMain(t, nil)
	stdout := &syncBuffer{}
	m.Stdout = stdout
	if err := m.Run(context.Background(), []string{"bench", "ingest", "--connections", "5", "--duration", "1s", "--json"}); err != nil {
		t.Fatalf("bench ingest: %v\n%s", err, out)
	}
	var got map[string]any
	if err := json.NewDecoder(strings.NewReader(stdout.String())).Decode(&got); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	for _, k := range []string{"durable_msgs_per_s", "raw_msgs_per_s", "p99_ms"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
	}
}
