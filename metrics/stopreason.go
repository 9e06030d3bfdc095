package metrics

// StopReason says why a run ended; it appears in every output.
type StopReason string

// The stop reasons.
const (
	StopNormal      StopReason = "normal"      // every executor finished its planned work
	StopDuration    StopReason = "duration"    // a duration or max-duration ran out with work left
	StopInterrupted StopReason = "interrupted" // Ctrl-C / SIGTERM
	StopThreshold   StopReason = "threshold"   // a threshold with abort-on-fail failed
	StopError       StopReason = "error"       // setup failed, or the target could not be used
)
