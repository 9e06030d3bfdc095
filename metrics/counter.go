package metrics

// Counter names a run-wide count. Counters are per workload, like samples;
// reports sum them and show them under these stable names (the JSON
// result's "counters" keys).
type Counter uint8

// The counters. Errors are not counters of their own: reports count
// samples by ErrorKind.
const (
	Iterations        Counter = iota // iterations that finished (failed or not)
	DroppedIterations                // iterations an arrival-rate executor could not start: no free VU
	Requests                         // HTTP requests sent
	Commands                         // 202-accepted commands whose outcome was awaited
	AcksOK                           // command messages with command_status 2 (or a data message)
	AcksRejected                     // command messages with command_status 3
	AcksTimeout                      // commands whose outcome never came
	AcksDuplicate                    // messages seen twice for one command id (client correlator)
	AcksOrphan                       // messages no waiter claimed (client correlator)
	ChecksPassed                     // check expressions that held
	ChecksFailed                     // check expressions that did not
	BytesSent                        // request bodies and uploads
	BytesReceived                    // response bodies and downloads
	Reconnects                       // WebSocket sessions re-established after a drop

	numCounters
)

var counterNames = [numCounters]string{
	Iterations:        "iterations",
	DroppedIterations: "dropped_iterations",
	Requests:          "requests",
	Commands:          "commands",
	AcksOK:            "acks_ok",
	AcksRejected:      "acks_rejected",
	AcksTimeout:       "acks_timeout",
	AcksDuplicate:     "acks_duplicate",
	AcksOrphan:        "acks_orphan",
	ChecksPassed:      "checks_passed",
	ChecksFailed:      "checks_failed",
	BytesSent:         "bytes_sent",
	BytesReceived:     "bytes_received",
	Reconnects:        "reconnects",
}

// String returns the counter's stable name ("acks_ok", …).
func (c Counter) String() string {
	if c >= numCounters {
		return "unknown"
	}
	return counterNames[c]
}

// Counters returns every counter in a stable order.
func Counters() []Counter {
	cs := make([]Counter, numCounters)
	for i := range cs {
		cs[i] = Counter(i)
	}
	return cs
}

// ParseCounter is String's inverse. "acks_lost" is accepted as another
// name of acks_timeout: a lost ack is one that timed out and was never
// reconciled, which is exactly what the client reports as a timeout.
func ParseCounter(s string) (c Counter, ok bool) {
	if s == "acks_lost" {
		return AcksTimeout, true
	}
	for c := Counter(0); c < numCounters; c++ {
		if counterNames[c] == s {
			return c, true
		}
	}
	return 0, false
}
