package schedule_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// BenchmarkBrandimarte solves MK01–MK10 and reports, per instance, the
// makespan of the checked schedule, its deviation from the best known
// makespan and the time to the best. Each run stops at the time limit or at
// the instance's proven lower bound from BOUNDS.csv, whichever comes first.
// The environment sets the measure:
//
//	NAKAMAWASHI_BENCH_TIME   time limit per run (default 30s)
//	NAKAMAWASHI_BENCH_SEEDS  runs per instance with seeds 1..N (default 1)
//	NAKAMAWASHI_BENCH_FILES  comma-separated instance names (default mk01..mk10)
//
// For example: go test -run '^$' -bench Brandimarte -benchtime 1x ./schedule
func BenchmarkBrandimarte(b *testing.B) {
	names := []string{"mk01", "mk02", "mk03", "mk04", "mk05", "mk06", "mk07", "mk08", "mk09", "mk10"}
	benchFamily(b, names)
}

// BenchmarkKacem solves the four Kacem instances the same way.
func BenchmarkKacem(b *testing.B) {
	benchFamily(b, []string{"kacem1", "kacem2", "kacem3", "kacem4"})
}

func benchFamily(b *testing.B, names []string) {
	limit := 30 * time.Second
	if v := os.Getenv("NAKAMAWASHI_BENCH_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("NAKAMAWASHI_BENCH_TIME: %v", err)
		}
		limit = d
	}
	seeds := 1
	if v := os.Getenv("NAKAMAWASHI_BENCH_SEEDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("NAKAMAWASHI_BENCH_SEEDS: want a positive integer, not %q", v)
		}
		seeds = n
	}
	if v := os.Getenv("NAKAMAWASHI_BENCH_FILES"); v != "" {
		names = strings.Split(v, ",")
	}
	bounds := readBounds(b)
	var devSum float64
	for _, name := range names {
		inst := mustRead(b, name)
		known, ok := bounds[name]
		lb := lowerBounds(b)[name]
		if !ok {
			b.Fatalf("%s: no best known makespan in BOUNDS.csv", name)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				bestM, sumM, sumTTB, sumElapsed := math.MaxInt, 0, time.Duration(0), time.Duration(0)
				var iters int64
				for seed := 1; seed <= seeds; seed++ {
					res, err := schedule.Solve(context.Background(), inst, schedule.Options{Seed: int64(seed), TimeLimit: limit, Target: lb})
					if err != nil {
						b.Fatal(err)
					}
					m, err := schedule.Check(inst, res.Schedule)
					if err != nil {
						b.Fatalf("seed %d: the schedule fails the check: %v", seed, err)
					}
					if m != res.Makespan {
						b.Fatalf("seed %d: Solve reports makespan %d, the check finds %d", seed, res.Makespan, m)
					}
					bestM = min(bestM, m)
					sumM += m
					sumTTB += res.TimeToBest
					sumElapsed += res.Elapsed
					iters += res.Iterations
					b.Logf("%s seed %d: makespan %d (best known %d), time to best %.1fs, %d iterations",
						name, seed, m, known, res.TimeToBest.Seconds(), res.Iterations)
				}
				mean := float64(sumM) / float64(seeds)
				dev := 100 * (mean - float64(known)) / float64(known)
				devSum += dev
				b.ReportMetric(float64(bestM), "best-makespan")
				b.ReportMetric(mean, "mean-makespan")
				b.ReportMetric(dev, "dev%")
				b.ReportMetric((sumTTB / time.Duration(seeds)).Seconds(), "s-to-best")
				b.ReportMetric(float64(iters)/sumElapsed.Seconds(), "iter/s")
			}
		})
	}
	fmt.Fprintf(os.Stderr, "mean deviation over %d instances: %.2f%%\n", len(names), devSum/float64(len(names)))
}

func mustRead(tb testing.TB, name string) *schedule.Instance {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "fjsp", name+".fjs"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	inst, err := schedule.ReadFJSP(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	inst.Name = name
	return inst
}

// readBounds returns the best known makespans from testdata/fjsp/BOUNDS.csv.
func readBounds(tb testing.TB) map[string]int { return boundsColumn(tb, 2) }

// lowerBounds returns the proven lower bounds from testdata/fjsp/BOUNDS.csv.
func lowerBounds(tb testing.TB) map[string]int { return boundsColumn(tb, 1) }

func boundsColumn(tb testing.TB, col int) map[string]int {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "fjsp", "BOUNDS.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]int{}
	for _, row := range rows[1:] {
		v, err := strconv.Atoi(row[col])
		if err != nil {
			tb.Fatalf("BOUNDS.csv: %v", err)
		}
		out[row[0]] = v
	}
	return out
}
