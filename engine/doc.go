// Package engine drives virtual users (VUs) through a scenario under a load
// model: one file per executor, each schedule a pure function of elapsed
// time, one ctx-aware loop that turns the schedule into VU starts and stops,
// pacing, and a graceful stop that first stops new iterations and then,
// after graceful-stop, cancels in-flight work.
//
// It knows steps only through an interface and never imports the client, so
// load models can be tested by table with no server and no clock.
//
// Concurrency: one goroutine per VU; a VU owns its client, session and
// variables and shares nothing mutable with other VUs. Samples go to a
// metrics.Sink that must accept calls from every VU goroutine at once.
package engine
