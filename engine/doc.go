// Package engine drives virtual users (VUs) through a scenario under a load
// model, with k6's semantics: one file per executor (per-vu-iterations,
// shared-iterations, constant-vus, ramping-vus, constant-arrival-rate,
// ramping-arrival-rate), each schedule a pure function of elapsed time —
// how many VUs are wanted at t (closedPlan.vusAt), when iteration n is due
// (arrivalPlan.due) — tested by tables to the nanosecond with no clock,
// and one thin ctx-aware loop per kind (closed.go, arrival.go) that turns
// the schedule into VU starts, stops and iterations.
//
// Honest timing: under the arrival-rate executors an iteration is handed
// to a free VU when it is due, whatever the server does; its
// Iteration.Scheduled is that instant, the engine records "schedule_lag"
// (actual − scheduled start) and times "iteration" from the scheduled
// start, so a stalled server shows in the percentiles. An iteration that
// finds no free VU is counted in dropped_iterations and a VU is added, up
// to max-vus, for the iterations to come.
//
// Lifecycle and stopping: setup; every planned VU's vu-setup before the
// clock starts; the workloads at once, each from its start-time; a stop
// (the plan's end, a cancelled ctx, Options.Stop, FailFast) first stops
// new iterations, then after graceful-stop cancels in-flight ones; a VU
// that ignores its context is given up on after StuckTimeout, so no run
// can hang; vu-teardown and teardown run with a fresh, bounded context.
//
// It knows steps only through the Program interface and never imports the
// client, so load models can be tested with a fake program and no server.
//
// Ownership (as package steps builds a Program): one privicore.Client per
// target, shared by every VU — it is the HTTP connection pool — and one
// privicore.Session per VU (its token and joined socket), opened by its
// vu-setup and reused across its iterations, with its variables, keys and
// stored digests.
//
// Concurrency: one goroutine per VU and one controller per workload. A VU
// shares nothing mutable with other VUs: the closed models share only a stop flag (and, under
// shared-iterations, one atomic counter of iterations left); the open
// models hand iterations to VUs through a pool channel owned by the
// workload's dispatcher. The engine's path per iteration allocates nothing
// and takes no lock; samples go to a metrics.Sink that must accept calls
// from every VU goroutine at once.
package engine
