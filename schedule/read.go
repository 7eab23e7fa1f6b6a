package schedule

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxLine is the longest line ReadFJSP accepts.
const maxLine = 16 << 20

// ReadFJSP reads a flexible job-shop instance in the standard text format of
// the FJSP benchmarks: a first line "jobs machines [average machines per
// operation]", then one line per job with its number of operations and, for
// each operation, the number k of eligible machines followed by k pairs
// "machine processing-time". Machines are numbered from 1 in the file and
// from 0 in the Instance. Fields are separated by spaces or tabs; blank lines
// are ignored. Errors name the line they were found on.
func ReadFJSP(r io.Reader) (*Instance, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	// next returns the fields of the next non-blank line, or nil at the end.
	next := func() ([]string, error) {
		for sc.Scan() {
			line++
			if f := strings.Fields(sc.Text()); len(f) > 0 {
				return f, nil
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return nil, fmt.Errorf("line %d: longer than %d bytes", line+1, maxLine)
			}
			return nil, err
		}
		return nil, nil
	}

	head, err := next()
	if err != nil {
		return nil, err
	}
	if head == nil {
		return nil, errors.New("empty file: expected a first line \"jobs machines [average machines per operation]\"")
	}
	if len(head) < 2 || len(head) > 3 {
		return nil, fmt.Errorf("line %d: expected \"jobs machines [average machines per operation]\", found %d fields", line, len(head))
	}
	jobs, err := strconv.Atoi(head[0])
	if err != nil || jobs <= 0 || jobs > MaxOperations {
		return nil, fmt.Errorf("line %d: the number of jobs must be an integer between 1 and %d, not %q", line, MaxOperations, head[0])
	}
	machines, err := strconv.Atoi(head[1])
	if err != nil || machines <= 0 || machines > MaxMachines {
		return nil, fmt.Errorf("line %d: the number of machines must be an integer between 1 and %d, not %q", line, MaxMachines, head[1])
	}
	if len(head) == 3 {
		if _, err := strconv.ParseFloat(head[2], 64); err != nil {
			return nil, fmt.Errorf("line %d: the average number of machines per operation must be a number, not %q", line, head[2])
		}
	}

	inst := &Instance{Machines: machines, Jobs: make([]Job, 0, min(jobs, 1024))}
	total := 0
	stamp := make([]int, machines) // operation count+1 that last listed each machine
	for j := range jobs {
		f, err := next()
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, fmt.Errorf("line %d: the file ends after %d of %d jobs", line, j, jobs)
		}
		job, err := readJob(f, j, machines, &total, stamp)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		inst.Jobs = append(inst.Jobs, job)
	}
	f, err := next()
	if err != nil {
		return nil, err
	}
	if f != nil {
		return nil, fmt.Errorf("line %d: unexpected data after the last of %d jobs", line, jobs)
	}
	return inst, nil
}

// readJob parses the fields of job j's line. total counts the operations read
// so far, and stamp detects a machine listed twice for one operation.
func readJob(f []string, j, machines int, total *int, stamp []int) (Job, error) {
	i := 0
	// num reads the next field as an integer between lo and hi.
	num := func(what string, lo, hi int) (int, error) {
		if i >= len(f) {
			return 0, fmt.Errorf("job %d: the line ends where %s was expected", j+1, what)
		}
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return 0, fmt.Errorf("job %d: %s must be an integer, not %q (field %d)", j+1, what, f[i], i+1)
		}
		if v < lo || v > hi {
			return 0, fmt.Errorf("job %d: %s must be between %d and %d, not %d (field %d)", j+1, what, lo, hi, v, i+1)
		}
		i++
		return v, nil
	}
	nops, err := num("the number of operations", 1, MaxOperations)
	if err != nil {
		return Job{}, err
	}
	if *total+nops > MaxOperations {
		return Job{}, fmt.Errorf("job %d: the instance has more than %d operations", j+1, MaxOperations)
	}
	// Each operation needs at least three fields; a line that is too short
	// must not cause a large allocation.
	if 1+3*nops > len(f) {
		return Job{}, fmt.Errorf("job %d: %d operations need at least %d fields but the line has %d", j+1, nops, 1+3*nops, len(f))
	}
	job := Job{Operations: make([]Operation, nops)}
	for o := range nops {
		*total++
		k, err := num(fmt.Sprintf("the number of machines of operation %d", o+1), 1, machines)
		if err != nil {
			return Job{}, err
		}
		if i+2*k > len(f) {
			return Job{}, fmt.Errorf("job %d: operation %d lists %d machines but the line ends after %d of them", j+1, o+1, k, (len(f)-i)/2)
		}
		alts := make([]Alternative, k)
		for a := range k {
			if i < len(f) {
				if v, err := strconv.Atoi(f[i]); err == nil && (v < 1 || v > machines) {
					return Job{}, fmt.Errorf("operation %d lists machine %d but the instance has %d machines", o+1, v, machines)
				}
			}
			m, err := num(fmt.Sprintf("a machine of operation %d", o+1), 1, machines)
			if err != nil {
				return Job{}, err
			}
			if stamp[m-1] == *total {
				return Job{}, fmt.Errorf("operation %d lists machine %d twice", o+1, m)
			}
			stamp[m-1] = *total
			d, err := num(fmt.Sprintf("the processing time of operation %d on machine %d", o+1, m), 0, MaxDuration)
			if err != nil {
				return Job{}, err
			}
			alts[a] = Alternative{Machine: m - 1, Duration: d}
		}
		job.Operations[o] = Operation{Alternatives: alts}
	}
	if i != len(f) {
		return Job{}, fmt.Errorf("job %d: %d unexpected fields after its %d operations", j+1, len(f)-i, nops)
	}
	return job, nil
}
