package schedule_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi/schedule"
)

func TestReadFJSP(t *testing.T) {
	// Tabs, a missing third header number, trailing blanks, blank lines
	// and a CRLF line end.
	in := "\n2\t3\n\n2  1 1 5\t2 2 4 3 7   \r\n1 3 1 1 2 1 3 2\t \n\n"
	inst, err := schedule.ReadFJSP(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if inst.Machines != 3 || len(inst.Jobs) != 2 || inst.NumOperations() != 3 {
		t.Fatalf("got %d machines, %d jobs, %d operations; want 3, 2, 3", inst.Machines, len(inst.Jobs), inst.NumOperations())
	}
	got := inst.Jobs[0].Operations[1].Alternatives
	want := []schedule.Alternative{{Machine: 1, Duration: 4}, {Machine: 2, Duration: 7}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("job 0 operation 1: got %v, want %v", got, want)
	}
	if d, ok := inst.Duration(1, 0, 2); !ok || d != 2 {
		t.Fatalf("Duration(1, 0, 2): got %d, %v; want 2, true", d, ok)
	}
	if err := inst.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestReadFJSPHeaderFloat(t *testing.T) {
	inst, err := schedule.ReadFJSP(strings.NewReader("1 2 1.5\n1 2 1 3 2 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if inst.Machines != 2 || inst.NumOperations() != 1 {
		t.Fatalf("got %d machines and %d operations, want 2 and 1", inst.Machines, inst.NumOperations())
	}
}

func TestReadFJSPErrors(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"empty", "", "empty file"},
		{"blank", " \n\t\n", "empty file"},
		{"header fields", "3\n", "line 1: expected"},
		{"header jobs", "x 2\n", "line 1: the number of jobs"},
		{"zero jobs", "0 2\n", "line 1: the number of jobs"},
		{"negative machines", "1 -2\n", "line 1: the number of machines"},
		{"huge jobs", "1000000000 2\n", "line 1: the number of jobs"},
		{"header average", "1 2 many\n1 1 1 1\n", "line 1: the average"},
		{"machine out of range", "2 6\n1 1 1 3\n\n2 1 2 4 1 9 5\n", "line 4: operation 2 lists machine 9 but the instance has 6 machines"},
		{"machine zero", "1 2\n1 1 0 3\n", "line 2: operation 1 lists machine 0 but the instance has 2 machines"},
		{"machine twice", "1 2\n1 2 1 3 1 4\n", "line 2: operation 1 lists machine 1 twice"},
		{"negative time", "1 2\n1 1 1 -3\n", "line 2: job 1: the processing time of operation 1 on machine 1 must be between 0 and"},
		{"huge time", "1 2\n1 1 1 99999999999\n", "line 2: job 1: the processing time"},
		{"zero operations", "1 2\n0\n", "line 2: job 1: the number of operations must be between 1"},
		{"huge operations", "1 2\n100000 1 1 1\n", "line 2: job 1: 100000 operations need at least"},
		{"too many operations", "1 2\n1000000 1 1 1\n", "line 2: job 1: the number of operations must be between 1 and 100000"},
		{"zero machines of an operation", "1 2\n1 0\n", "line 2: job 1: 1 operations need at least 4 fields"},
		{"too many machines of an operation", "1 2\n1 3 1 1 2 1 1 1\n", "line 2: job 1: the number of machines of operation 1 must be between 1 and 2"},
		{"short line", "1 2\n2 1 1 3 2 1 1\n", "line 2: job 1: operation 2 lists 2 machines but the line ends"},
		{"not a number", "1 2\n1 1 a 3\n", "line 2: job 1: a machine of operation 1 must be an integer"},
		{"extra fields", "1 2\n1 1 1 3 7\n", "line 2: job 1: 1 unexpected fields"},
		{"missing job", "2 2\n1 1 1 3\n", "line 2: the file ends after 1 of 2 jobs"},
		{"extra line", "1 2\n1 1 1 3\n1 1 1 3\n", "line 3: unexpected data after the last of 1 jobs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schedule.ReadFJSP(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadFJSPBenchmarks(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fjsp", "*.fjs"))
	if err != nil || len(files) != 14 {
		t.Fatalf("got %d files (%v), want 14", len(files), err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".fjs")
		inst := mustRead(t, name)
		if err := inst.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzReadFJSP checks that no input makes the reader panic or return an
// invalid instance, and that the solver schedules whatever it accepts.
func FuzzReadFJSP(f *testing.F) {
	for _, name := range []string{"kacem1", "kacem3", "mk01"} {
		b, err := os.ReadFile(filepath.Join("testdata", "fjsp", name+".fjs"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		inst, err := schedule.ReadFJSP(strings.NewReader(string(b)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && !strings.HasPrefix(err.Error(), "empty file") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		if err := inst.Validate(); err != nil {
			t.Fatalf("ReadFJSP accepted an invalid instance: %v", err)
		}
		if inst.NumOperations() > 60 {
			return
		}
		res, err := solveQuick(inst, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		mustCheck(t, inst, res)
	})
}
