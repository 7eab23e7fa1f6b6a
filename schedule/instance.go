package schedule

import (
	"errors"
	"fmt"
)

// Limits on the size of an instance. They keep a malformed or hostile file
// from making the reader or the solver allocate without bound.
const (
	MaxOperations = 100_000    // operations in all jobs together
	MaxMachines   = 10_000     // machines
	MaxDuration   = 10_000_000 // processing time of one operation on one machine
)

// An Instance is a flexible job-shop problem: jobs made of operations that
// must run in order, each on one machine chosen from its eligible machines.
// Machines are numbered from 0 to Machines-1 here (files number them from 1).
//
// The model is kept general so that release dates, setup times, fixed
// operations and due dates can be added as fields without changing the
// meaning of the existing ones.
type Instance struct {
	Name     string // optional, for messages and reports
	Machines int
	Jobs     []Job
}

// A Job is a chain of operations: each operation starts after the previous
// one ends.
type Job struct {
	Operations []Operation
}

// An Operation runs once, without interruption, on one of its alternatives.
type Operation struct {
	Alternatives []Alternative
}

// An Alternative is an eligible machine for an operation and the processing
// time of the operation on it.
type Alternative struct {
	Machine  int
	Duration int
}

// NumOperations returns the number of operations in all jobs.
func (inst *Instance) NumOperations() int {
	n := 0
	for _, j := range inst.Jobs {
		n += len(j.Operations)
	}
	return n
}

// Duration returns the processing time of operation o of job j on machine k
// and whether machine k is eligible for it.
func (inst *Instance) Duration(j, o, k int) (int, bool) {
	for _, a := range inst.Jobs[j].Operations[o].Alternatives {
		if a.Machine == k {
			return a.Duration, true
		}
	}
	return 0, false
}

// Validate reports the first reason the instance cannot be scheduled: no
// machines, a job without operations, an operation without an eligible
// machine, a machine out of range or listed twice, a negative or too long
// processing time, or too many operations.
func (inst *Instance) Validate() error {
	if inst == nil {
		return errors.New("no instance")
	}
	if inst.Machines <= 0 || inst.Machines > MaxMachines {
		return fmt.Errorf("the number of machines must be between 1 and %d, not %d", MaxMachines, inst.Machines)
	}
	if len(inst.Jobs) == 0 {
		return errors.New("the instance has no jobs")
	}
	n := 0
	seen := make([]int, inst.Machines) // operation stamp+1 that last listed each machine
	for j, job := range inst.Jobs {
		if len(job.Operations) == 0 {
			return fmt.Errorf("job %d has no operations", j)
		}
		for o, op := range job.Operations {
			n++
			if n > MaxOperations {
				return fmt.Errorf("the instance has more than %d operations", MaxOperations)
			}
			if len(op.Alternatives) == 0 {
				return fmt.Errorf("job %d operation %d has no eligible machine", j, o)
			}
			for _, a := range op.Alternatives {
				if a.Machine < 0 || a.Machine >= inst.Machines {
					return fmt.Errorf("job %d operation %d lists machine %d but the instance has machines 0 to %d", j, o, a.Machine, inst.Machines-1)
				}
				if seen[a.Machine] == n {
					return fmt.Errorf("job %d operation %d lists machine %d twice", j, o, a.Machine)
				}
				seen[a.Machine] = n
				if a.Duration < 0 || a.Duration > MaxDuration {
					return fmt.Errorf("job %d operation %d has processing time %d on machine %d; it must be between 0 and %d", j, o, a.Duration, a.Machine, MaxDuration)
				}
			}
		}
	}
	return nil
}

// LowerBound returns a simple lower bound on the makespan of any schedule:
// the largest of the longest job (with each operation on its fastest machine)
// the total of the shortest processing times spread evenly over all
// machines, and the load of any machine from the operations that can run
// nowhere else. The solver stops as soon as it reaches it. The instance must
// be valid.
func LowerBound(inst *Instance) int {
	lb, total := 0, 0
	only := make([]int, inst.Machines)
	for _, job := range inst.Jobs {
		sum := 0
		for _, op := range job.Operations {
			best := op.Alternatives[0].Duration
			for _, a := range op.Alternatives[1:] {
				best = min(best, a.Duration)
			}
			if len(op.Alternatives) == 1 {
				only[op.Alternatives[0].Machine] += best
			}
			sum += best
		}
		lb = max(lb, sum)
		total += sum
	}
	for _, l := range only {
		lb = max(lb, l)
	}
	return max(lb, (total+inst.Machines-1)/inst.Machines)
}

// A Schedule gives the machine and the times of every operation.
type Schedule struct {
	Operations []ScheduledOperation
}

// A ScheduledOperation places operation Operation of job Job on Machine from
// Start to End. Jobs, operations and machines are counted from 0.
type ScheduledOperation struct {
	Job       int
	Operation int
	Machine   int
	Start     int
	End       int
}
