package pipeline

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkCommand is the pipeline's share of one instant command, as the
// simulator runs it under load: accept, submit, resolve on a worker, keep
// the outcome (the table full at the simulator's default bound, so that
// every command also evicts one) and publish the ack.
func BenchmarkCommand(b *testing.B) {
	const kept = 200_000 // the simulator's DefaultMaxResults
	var wg sync.WaitGroup
	p := New(Config{Workers: 4, ResultTTL: time.Hour, MaxResults: kept,
		Ack:     func(id string, status int, body string) []byte { return []byte(body) },
		Publish: func(string, []byte) { wg.Done() }})
	defer p.Close()
	ids := make([]string, kept+b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("0190a1b2-c3d4-7e5f-8a9b-%012d", i)
	}
	count := &Counters{}
	run := func(ids []string) {
		wg.Add(len(ids))
		for _, id := range ids {
			p.Submit(p.Accept(id, "alice", Plan{}, count, succeed), func() {})
		}
		wg.Wait()
	}
	run(ids[:kept])
	b.ReportAllocs()
	b.ResetTimer()
	run(ids[kept:])
}
