package main_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyFJSP has two jobs on two machines; its optimum is 5: job 0 runs on
// machine 1 from 0 to 3 and from 3 to 5, job 1 on machine 2 from 0 to 5.
const tinyFJSP = "2\t2\n2  1 1 3  2 1 2 2 4\n1 2 1 2 2 5  \n"

func TestScheduleCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tiny.fjs")
	if err := os.WriteFile(file, []byte(tinyFJSP), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		m, out := newMain(t, nil)
		err := m.Run(context.Background(), append([]string{"schedule"}, args...))
		return out.String(), err
	}

	out, err := run("--time-limit", "2s", "--seed", "3", file)
	if err != nil {
		t.Fatal(err)
	}
	if out != "makespan 5\n" {
		t.Fatalf("got %q, want %q", out, "makespan 5\n")
	}

	out, err = run("--time-limit", "2s", "--json", file)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Makespan   int `json:"makespan"`
		Operations []struct {
			Job, Operation, Machine, Start, End int
		} `json:"operations"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("want exactly one JSON object, got %q (%v)", out, err)
	}
	if got.Makespan != 5 || len(got.Operations) != 3 {
		t.Fatalf("got makespan %d and %d operations, want 5 and 3: %s", got.Makespan, len(got.Operations), out)
	}
	for _, op := range got.Operations {
		if op.Machine < 1 || op.Machine > 2 {
			t.Fatalf("machine %d: machines are numbered from 1 as in the file", op.Machine)
		}
	}

	bad := filepath.Join(t.TempDir(), "bad.fjs")
	if err := os.WriteFile(bad, []byte("1 2\n1 1 3 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := run(bad); err == nil || !strings.Contains(err.Error(), "bad.fjs: line 2: operation 1 lists machine 3 but the instance has 2 machines") {
		t.Fatalf("got %v, want the file, the line and the reason", err)
	}
	if _, err := run(); err == nil {
		t.Fatal("got no error without a file")
	}
}
