package vote_test

import (
	"fmt"
	"time"

	"github.com/pcflow/pcflow/sim/internal/vote"
)

// A consensus pool over four authenticators: after yes, no, yes it still
// waits (a last no would make a 2–2 tie, which is no majority); the fourth
// yes settles it before the time limit.
func ExamplePool() {
	start := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	rule, _ := vote.ParseRule("consensus", "51")
	pool, _ := vote.New("pool-1", vote.Config{
		Rule: rule, Quorum: 1, TimeLimit: time.Minute, MaxAttempts: 2,
		Targets: []string{"a", "b", "c", "d"},
	}, start)

	pool.Cast("a", vote.Approve, start.Add(time.Second))
	pool.Cast("b", vote.Reject, start.Add(2*time.Second))
	pool.Cast("c", vote.Approve, start.Add(3*time.Second))
	fmt.Println(pool.Snapshot().Status, "after 2 yes, 1 no")
	pool.Cast("d", vote.Approve, start.Add(4*time.Second))

	out, _ := pool.Outcome()
	fmt.Println(out.Status, "in attempt", out.Attempt, "ack", out.CommandStatus())
	err := pool.Cast("a", vote.Reject, start.Add(5*time.Second))
	fmt.Println(err)
	// Output:
	// pending after 2 yes, 1 no
	// succeeded in attempt 1 ack 2
	// vote: pool pool-1: ballot of device "a" in attempt 1 refused: pool has ended
}
