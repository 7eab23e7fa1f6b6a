package schedule

import "math/rand/v2"

// construct builds a solution into s by list scheduling: repeatedly take the
// next operation of the job with the most work remaining and put it at the
// end of the eligible machine where it would finish first (ties: the shorter
// processing time). With noise > 0 the priorities are perturbed at random so
// that different calls give different solutions. The scratch slices must
// have room for pr.n (and pr.m for machine ready times).
func construct(pr *problem, s *solution, rng *rand.Rand, noise float64) {
	nj := len(pr.jobFirst) - 1
	next := make([]int32, nj)   // next operation of each job, or jobFirst[j+1] when done
	work := make([]float64, nj) // remaining work of each job, shortest times
	jobReady := make([]int, nj)
	machReady := make([]int, pr.m)
	for k := range pr.m {
		s.mFirst[k], s.mLast[k] = -1, -1
	}
	for j := range nj {
		next[j] = pr.jobFirst[j]
		for v := pr.jobFirst[j]; v < pr.jobFirst[j+1]; v++ {
			work[j] += float64(pr.minDur[v])
		}
	}
	for range pr.n {
		bj, bprio := -1, -1.0
		for j := range nj {
			if next[j] == pr.jobFirst[j+1] {
				continue
			}
			prio := work[j]
			if noise > 0 {
				prio *= 1 + noise*rng.Float64()
			}
			if prio > bprio {
				bj, bprio = j, prio
			}
		}
		v := next[bj]
		next[bj]++
		work[bj] -= float64(pr.minDur[v])
		bk, bd, bend := int32(-1), 0, 0
		for i := pr.altOff[v]; i < pr.altOff[v+1]; i++ {
			k, d := pr.altMach[i], pr.altDur[i]
			end := max(jobReady[bj], machReady[k]) + d
			if noise > 0 {
				end += int(noise * float64(d) * rng.Float64())
			}
			if bk < 0 || end < bend || end == bend && d < bd {
				bk, bd, bend = k, d, end
			}
		}
		end := max(jobReady[bj], machReady[bk]) + bd
		jobReady[bj], machReady[bk] = end, end
		s.insert(v, bk, s.mLast[bk], bd)
	}
}
