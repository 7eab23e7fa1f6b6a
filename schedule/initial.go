package schedule

import (
	"container/heap"
	"math/rand/v2"
)

// construct builds a solution into s by list scheduling: repeatedly take the
// next operation of the job with the most work remaining and put it at the
// end of the eligible machine where it would finish first (ties: the shorter
// processing time). With noise > 0 the priorities and the finishing times
// are perturbed at random so that different calls give different solutions.
// It takes O(n log jobs + alternatives) time.
func construct(pr *problem, s *solution, rng *rand.Rand, noise float64) {
	nj := len(pr.jobFirst) - 1
	work := make([]float64, nj) // remaining work of each job, shortest times
	jobReady := make([]int, nj)
	machReady := make([]int, pr.m)
	for k := range pr.m {
		s.mFirst[k], s.mLast[k] = -1, -1
	}
	q := &jobQueue{next: make([]int32, nj)}
	for j := range nj {
		q.next[j] = pr.jobFirst[j]
		for v := pr.jobFirst[j]; v < pr.jobFirst[j+1]; v++ {
			work[j] += float64(pr.minDur[v])
		}
	}
	prio := func(j int) float64 {
		if noise > 0 {
			return work[j] * (1 + noise*rng.Float64())
		}
		return work[j]
	}
	for j := range nj {
		q.items = append(q.items, jobItem{job: int32(j), prio: prio(j)})
	}
	heap.Init(q)
	for q.Len() > 0 {
		j := int(q.items[0].job)
		v := q.next[j]
		q.next[j]++
		work[j] -= float64(pr.minDur[v])
		bk, bd, bend := int32(-1), 0, 0
		for i := pr.altOff[v]; i < pr.altOff[v+1]; i++ {
			k, d := pr.altMach[i], pr.altDur[i]
			end := max(jobReady[j], machReady[k]) + d
			if noise > 0 {
				end += int(noise * float64(d) * rng.Float64())
			}
			if bk < 0 || end < bend || end == bend && d < bd {
				bk, bd, bend = k, d, end
			}
		}
		end := max(jobReady[j], machReady[bk]) + bd
		jobReady[j], machReady[bk] = end, end
		s.insert(v, bk, s.mLast[bk], bd)
		if q.next[j] == pr.jobFirst[j+1] {
			heap.Pop(q)
		} else {
			q.items[0].prio = prio(j)
			heap.Fix(q, 0)
		}
	}
}

// jobQueue is a max-heap of jobs by priority; ties go to the lower job.
type jobQueue struct {
	items []jobItem
	next  []int32 // next operation of each job
}

type jobItem struct {
	job  int32
	prio float64
}

func (q *jobQueue) Len() int { return len(q.items) }
func (q *jobQueue) Less(a, b int) bool {
	x, y := q.items[a], q.items[b]
	return x.prio > y.prio || x.prio == y.prio && x.job < y.job
}
func (q *jobQueue) Swap(a, b int) { q.items[a], q.items[b] = q.items[b], q.items[a] }
func (q *jobQueue) Push(x any)    { q.items = append(q.items, x.(jobItem)) }
func (q *jobQueue) Pop() any {
	x := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return x
}
