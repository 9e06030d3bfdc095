package pipeline

import "time"

// Clock is the pipeline's time: Now stamps due times and outcomes, and
// AfterFunc wakes the scheduler when the next command is due. Wall is
// the real clock; a test passes a fake it advances by hand.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed; stop
	// prevents that if it has not happened yet, as time.AfterFunc does.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// Wall is the real clock.
type Wall struct{}

// Now is time.Now.
func (Wall) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc.
func (Wall) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
