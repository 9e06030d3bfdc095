package steps

import (
	"testing"

	"github.com/pcflow/pcflow/privicore"
	"github.com/pcflow/pcflow/scenario"
	"github.com/pcflow/pcflow/sim"
)

// upload's path auto goes by the client's own inline limit, not by the
// default one: with a 1 KiB limit a 2 KiB payload travels the stream.
func TestUploadAutoPathFollowsTheClientsInlineLimit(t *testing.T) {
	tg := startSim(t, sim.Options{})
	tg.opts.Client = privicore.New(privicore.Options{APIURL: tg.opts.APIURL, WSURL: tg.opts.WSURL,
		DownstreamURL: tg.opts.DownstreamURL, InlineLimit: 1024})
	scn := oneWorkload([]*scenario.Step{mk(t, "onboard", nil)},
		[]*scenario.Step{mk(t, "upload", map[string]any{"size": int64(2048)})}, nil)
	if err := runOnce(t, tg, scn, 1); err != nil {
		t.Fatal(err)
	}
	streamed, _ := tg.sink.count("step.upload.upstream-file.total")
	inline, _ := tg.sink.count("step.upload.exchange-data-for-token.total")
	if streamed != 1 || inline != 0 {
		t.Errorf("upstream-file %d, exchange-data-for-token %d; want the 2 KiB payload streamed", streamed, inline)
	}
}

// onboard {storageDevice: true} enrols a storage device for the profile it
// registers, so a simulator that refuses stores without one
// (RequireStorageDevice) accepts the upload; a plain onboard's is refused.
func TestOnboardEnrolsAStorageDevice(t *testing.T) {
	tg := startSim(t, sim.Options{RequireStorageDevice: true})
	tg.opts.Seed = 0 // two runs on one simulator: fresh names each
	run := func(onboard map[string]any) error {
		scn := oneWorkload([]*scenario.Step{mk(t, "onboard", onboard)},
			[]*scenario.Step{mk(t, "upload", map[string]any{"size": int64(64)})}, nil)
		return runOnce(t, tg, scn, 1)
	}
	if err := run(map[string]any{"storageDevice": true}); err != nil {
		t.Fatalf("upload after onboard {storageDevice: true}: %v\n%s", err, diag(err))
	}
	if n, _ := tg.sink.count("step.onboard.register-storage-device.total"); n != 1 {
		t.Fatalf("register-storage-device timed %d times, want 1", n)
	}
	if err := run(nil); err == nil {
		t.Fatal("upload without a storage device was accepted by a simulator that requires one")
	}
}
