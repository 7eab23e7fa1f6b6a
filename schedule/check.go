package schedule

import (
	"errors"
	"fmt"
	"slices"
)

// The kinds of violation Check reports; test for them with errors.Is.
var (
	ErrUnknownOperation = errors.New("unknown operation")
	ErrDuplicate        = errors.New("operation scheduled twice")
	ErrMissing          = errors.New("operation not scheduled")
	ErrIneligible       = errors.New("machine not eligible")
	ErrDuration         = errors.New("wrong processing time")
	ErrNegativeStart    = errors.New("negative start")
	ErrPrecedence       = errors.New("job order violated")
	ErrOverlap          = errors.New("operations overlap on a machine")
)

// Check verifies that s is a feasible schedule of inst and returns its
// makespan: every operation is scheduled exactly once, on one of its eligible
// machines, for its processing time on that machine, starting at or after
// time 0 and after the previous operation of its job ends, and no two
// operations overlap on a machine.
//
// Check does not share code with the solver, so that it can vouch for the
// solver's results.
func Check(inst *Instance, s *Schedule) (int, error) {
	if err := inst.Validate(); err != nil {
		return 0, fmt.Errorf("invalid instance: %w", err)
	}
	if s == nil {
		return 0, errors.New("no schedule")
	}
	// at[j][o] is the index in s.Operations of operation o of job j, or -1.
	at := make([][]int, len(inst.Jobs))
	for j, job := range inst.Jobs {
		at[j] = make([]int, len(job.Operations))
		for o := range at[j] {
			at[j][o] = -1
		}
	}
	perMachine := make([][]int, inst.Machines)
	for i, so := range s.Operations {
		if so.Job < 0 || so.Job >= len(inst.Jobs) || so.Operation < 0 || so.Operation >= len(inst.Jobs[so.Job].Operations) {
			return 0, fmt.Errorf("%w: job %d operation %d", ErrUnknownOperation, so.Job, so.Operation)
		}
		if at[so.Job][so.Operation] >= 0 {
			return 0, fmt.Errorf("%w: job %d operation %d", ErrDuplicate, so.Job, so.Operation)
		}
		at[so.Job][so.Operation] = i
		d, ok := inst.Duration(so.Job, so.Operation, so.Machine)
		if !ok {
			return 0, fmt.Errorf("%w: job %d operation %d cannot run on machine %d", ErrIneligible, so.Job, so.Operation, so.Machine)
		}
		if so.End-so.Start != d {
			return 0, fmt.Errorf("%w: job %d operation %d runs from %d to %d on machine %d but takes %d there", ErrDuration, so.Job, so.Operation, so.Start, so.End, so.Machine, d)
		}
		if so.Start < 0 {
			return 0, fmt.Errorf("%w: job %d operation %d starts at %d", ErrNegativeStart, so.Job, so.Operation, so.Start)
		}
		perMachine[so.Machine] = append(perMachine[so.Machine], i)
	}
	makespan := 0
	for j, job := range inst.Jobs {
		prevEnd := 0
		for o := range job.Operations {
			i := at[j][o]
			if i < 0 {
				return 0, fmt.Errorf("%w: job %d operation %d", ErrMissing, j, o)
			}
			so := s.Operations[i]
			if so.Start < prevEnd {
				return 0, fmt.Errorf("%w: job %d operation %d starts at %d before operation %d ends at %d", ErrPrecedence, j, o, so.Start, o-1, prevEnd)
			}
			prevEnd = so.End
		}
		makespan = max(makespan, prevEnd)
	}
	for k, ops := range perMachine {
		slices.SortFunc(ops, func(a, b int) int {
			sa, sb := s.Operations[a], s.Operations[b]
			if sa.Start != sb.Start {
				return sa.Start - sb.Start
			}
			return sa.End - sb.End
		})
		for x := 1; x < len(ops); x++ {
			a, b := s.Operations[ops[x-1]], s.Operations[ops[x]]
			// Two zero-length operations may share an instant, but nothing
			// may start inside another operation.
			if b.Start < a.End {
				return 0, fmt.Errorf("%w: on machine %d job %d operation %d (%d–%d) and job %d operation %d (%d–%d)",
					ErrOverlap, k, a.Job, a.Operation, a.Start, a.End, b.Job, b.Operation, b.Start, b.End)
			}
		}
	}
	return makespan, nil
}
