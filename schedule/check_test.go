package schedule_test

import (
	"errors"
	"testing"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// checkInstance has two jobs on two machines:
// job 0: op 0 on m0 (3) or m1 (5), op 1 on m1 (2);
// job 1: op 0 on m0 (4).
func checkInstance() *schedule.Instance {
	return &schedule.Instance{Machines: 2, Jobs: []schedule.Job{
		{Operations: []schedule.Operation{
			{Alternatives: []schedule.Alternative{{Machine: 0, Duration: 3}, {Machine: 1, Duration: 5}}},
			{Alternatives: []schedule.Alternative{{Machine: 1, Duration: 2}}},
		}},
		{Operations: []schedule.Operation{
			{Alternatives: []schedule.Alternative{{Machine: 0, Duration: 4}}},
		}},
	}}
}

func validSchedule() *schedule.Schedule {
	return &schedule.Schedule{Operations: []schedule.ScheduledOperation{
		{Job: 0, Operation: 0, Machine: 0, Start: 0, End: 3},
		{Job: 0, Operation: 1, Machine: 1, Start: 3, End: 5},
		{Job: 1, Operation: 0, Machine: 0, Start: 3, End: 7},
	}}
}

func TestCheckValid(t *testing.T) {
	m, err := schedule.Check(checkInstance(), validSchedule())
	if err != nil {
		t.Fatal(err)
	}
	if m != 7 {
		t.Fatalf("got makespan %d, want 7", m)
	}
}

func TestCheckViolations(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(s *schedule.Schedule)
		want   error
	}{
		{"unknown job", func(s *schedule.Schedule) { s.Operations[2].Job = 2 }, schedule.ErrUnknownOperation},
		{"unknown operation", func(s *schedule.Schedule) { s.Operations[1].Operation = 2 }, schedule.ErrUnknownOperation},
		{"negative operation", func(s *schedule.Schedule) { s.Operations[0].Operation = -1 }, schedule.ErrUnknownOperation},
		{"scheduled twice", func(s *schedule.Schedule) {
			s.Operations = append(s.Operations, schedule.ScheduledOperation{Job: 1, Operation: 0, Machine: 0, Start: 10, End: 14})
		}, schedule.ErrDuplicate},
		{"missing", func(s *schedule.Schedule) { s.Operations = s.Operations[:2] }, schedule.ErrMissing},
		{"ineligible machine", func(s *schedule.Schedule) { s.Operations[2].Machine = 1 }, schedule.ErrIneligible},
		{"machine out of range", func(s *schedule.Schedule) { s.Operations[2].Machine = 5 }, schedule.ErrIneligible},
		{"duration of another machine", func(s *schedule.Schedule) { s.Operations[0].Machine = 1 }, schedule.ErrDuration},
		{"too short", func(s *schedule.Schedule) { s.Operations[2].End = 6 }, schedule.ErrDuration},
		{"negative start", func(s *schedule.Schedule) {
			s.Operations[0].Start, s.Operations[0].End = -1, 2
		}, schedule.ErrNegativeStart},
		{"job order", func(s *schedule.Schedule) {
			s.Operations[1].Start, s.Operations[1].End = 2, 4
		}, schedule.ErrPrecedence},
		{"overlap", func(s *schedule.Schedule) {
			s.Operations[2].Start, s.Operations[2].End = 2, 6
		}, schedule.ErrOverlap},
		{"same start", func(s *schedule.Schedule) {
			s.Operations[2].Start, s.Operations[2].End = 0, 4
		}, schedule.ErrOverlap},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := validSchedule()
			tt.change(s)
			_, err := schedule.Check(checkInstance(), s)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckNil(t *testing.T) {
	if _, err := schedule.Check(checkInstance(), nil); err == nil {
		t.Fatal("got no error for a nil schedule")
	}
	if _, err := schedule.Check(&schedule.Instance{}, validSchedule()); err == nil {
		t.Fatal("got no error for an invalid instance")
	}
}
