package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// schedule solves a flexible job-shop instance file in the standard FJSP
// text format and prints the makespan of the checked schedule, or with
// --json the whole schedule as one JSON object.
func (m *Main) schedule(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("nakamawashi schedule", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	timeLimit := fs.Duration("time-limit", 30*time.Second, "stop the search after this long")
	seed := fs.Int64("seed", 1, "random seed; the same seed and limits give the same schedule")
	asJSON := fs.Bool("json", false, "print the schedule as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nakamawashi schedule [--time-limit 30s] [--seed N] [--json] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return flag.ErrHelp
	}
	if *timeLimit <= 0 {
		return errors.New("schedule: --time-limit must be positive")
	}
	file := fs.Arg(0)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	inst, err := schedule.ReadFJSP(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	res, err := schedule.Solve(ctx, inst, schedule.Options{Seed: *seed, TimeLimit: *timeLimit})
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	makespan, err := schedule.Check(inst, res.Schedule)
	if err != nil {
		return fmt.Errorf("%s: the solver's schedule fails the check: %w", file, err)
	}
	if !*asJSON {
		fmt.Fprintf(m.Stdout, "makespan %d\n", makespan)
		return nil
	}
	type operation struct {
		Job       int `json:"job"`
		Operation int `json:"operation"`
		Machine   int `json:"machine"`
		Start     int `json:"start"`
		End       int `json:"end"`
	}
	out := struct {
		Makespan   int         `json:"makespan"`
		Operations []operation `json:"operations"`
	}{Makespan: makespan, Operations: make([]operation, len(res.Schedule.Operations))}
	for i, so := range res.Schedule.Operations {
		// Machines are numbered from 1, as in the file.
		out.Operations[i] = operation{Job: so.Job, Operation: so.Operation, Machine: so.Machine + 1, Start: so.Start, End: so.End}
	}
	return json.NewEncoder(m.Stdout).Encode(out)
}
