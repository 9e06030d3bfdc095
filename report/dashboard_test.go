package report

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

// The Grafana dashboard shipped under deploy/ parses and queries only
// metric names that the metrics server exposes.
func TestGrafanaDashboardUsesExposedMetrics(t *testing.T) {
	data, err := os.ReadFile("../deploy/grafana/pcflow-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	exposed := map[string]bool{"pcflow_latency_seconds_bucket": true, "pcflow_events_total": true,
		"pcflow_step_errors_total": true}
	names := regexp.MustCompile(`pcflow_[a-z_]+`)
	if len(dash.Panels) == 0 {
		t.Fatal("no panels")
	}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, n := range names.FindAllString(tg.Expr, -1) {
				if !exposed[n] {
					t.Errorf("panel %q queries %s, which pcflow does not expose", p.Title, n)
				}
			}
		}
	}
}
