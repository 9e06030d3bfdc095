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
