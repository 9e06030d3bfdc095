package report

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pcflow/pcflow/metrics"
)

// thresholdJSON is a ThresholdResult in the JSON result: DESIGN.md's
// metric / expr / ok / value for readers, and the criterion itself under
// "spec" so that pcflow merge can evaluate it again.
type thresholdJSON struct {
	Metric   string   `json:"metric"`
	Expr     string   `json:"expr"`
	OK       bool     `json:"ok"`
	Value    string   `json:"value"`
	Observed float64  `json:"observed"`
	NoData   bool     `json:"no_data,omitempty"`
	Pos      string   `json:"pos,omitempty"`
	Spec     specJSON `json:"spec"`
}

type specJSON struct {
	Metric      string            `json:"metric"`
	Tags        map[string]string `json:"tags,omitempty"`
	Stat        string            `json:"stat"`
	Op          string            `json:"op"`
	Value       float64           `json:"value"`
	Unit        string            `json:"unit"` // "duration" (ns) or "number"
	AbortOnFail bool              `json:"abort_on_fail,omitempty"`
	DelayS      float64           `json:"delay_s,omitempty"`
	Source      string            `json:"source,omitempty"`
}

// MarshalJSON writes the verdict and the criterion.
func (t ThresholdResult) MarshalJSON() ([]byte, error) {
	th := t.Threshold
	unit := "number"
	if th.Unit == metrics.UnitDuration {
		unit = "duration"
	}
	return json.Marshal(thresholdJSON{
		Metric: t.Name(), Expr: t.Expr(), OK: t.OK, Value: t.Value(),
		Observed: t.Observed, NoData: t.NoData, Pos: th.Pos,
		Spec: specJSON{
			Metric: th.Metric, Tags: th.Tags, Stat: th.Stat.String(), Op: th.Op.String(),
			Value: th.Value, Unit: unit, AbortOnFail: th.AbortOnFail,
			DelayS: th.Delay.Seconds(), Source: th.Source,
		},
	})
}

// UnmarshalJSON reads the verdict and rebuilds the criterion.
func (t *ThresholdResult) UnmarshalJSON(data []byte) error {
	var j thresholdJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	stat, err := parseStat(j.Spec.Stat)
	if err != nil {
		return err
	}
	op, err := parseOp(j.Spec.Op)
	if err != nil {
		return err
	}
	unit := metrics.UnitNumber
	if j.Spec.Unit == "duration" {
		unit = metrics.UnitDuration
	}
	*t = ThresholdResult{
		OK: j.OK, NoData: j.NoData, Observed: j.Observed,
		Threshold: metrics.Threshold{
			Metric: j.Spec.Metric, Tags: j.Spec.Tags, Stat: stat, Op: op, Value: j.Spec.Value,
			Unit: unit, AbortOnFail: j.Spec.AbortOnFail,
			Delay:  time.Duration(j.Spec.DelayS * float64(time.Second)),
			Source: j.Spec.Source, Pos: j.Pos,
		},
	}
	return nil
}

// parseStat is metrics.Stat.String's inverse.
func parseStat(s string) (metrics.Stat, error) {
	switch s {
	case "min":
		return metrics.Stat{Kind: metrics.StatMin}, nil
	case "max":
		return metrics.Stat{Kind: metrics.StatMax}, nil
	case "mean":
		return metrics.Stat{Kind: metrics.StatMean}, nil
	case "count":
		return metrics.Stat{Kind: metrics.StatCount}, nil
	case "rate":
		return metrics.Stat{Kind: metrics.StatRate}, nil
	}
	if p, ok := strings.CutPrefix(s, "p"); ok {
		if v, err := strconv.ParseFloat(p, 64); err == nil && v > 0 && v <= 100 {
			return metrics.Stat{Kind: metrics.StatPercentile, Percentile: v}, nil
		}
	}
	return metrics.Stat{}, fmt.Errorf("threshold: unknown statistic %q", s)
}

// parseOp is metrics.Op.String's inverse.
func parseOp(s string) (metrics.Op, error) {
	for _, op := range []metrics.Op{metrics.OpLess, metrics.OpLessEqual, metrics.OpGreater,
		metrics.OpGreaterEqual, metrics.OpEqual} {
		if op.String() == s {
			return op, nil
		}
	}
	return 0, fmt.Errorf("threshold: unknown operator %q", s)
}
