package scenario

import "github.com/pcflow/pcflow/metrics"

// knownMetrics is every metric the scenario can produce, for checking
// thresholds: the step metrics of every step by its kind's phases (and of
// a composite's inner operations), group.NAME of every group, the engine's
// iteration and schedule_lag, checks, errors and the counters.
func knownMetrics(s *Scenario) map[string]bool {
	known := map[string]bool{metrics.MetricIteration: true, metrics.MetricScheduleLag: true, "checks": true, "errors": true}
	for _, c := range metrics.Counters() {
		known[c.String()] = true
	}
	known["acks_lost"] = true
	addSteps(known, s.Setup)
	addSteps(known, s.Teardown)
	for _, w := range s.Workloads {
		addSteps(known, w.VUSetup)
		addSteps(known, w.Steps)
		addSteps(known, w.VUTeardown)
	}
	return known
}

func addSteps(known map[string]bool, steps []*Step) {
	for _, st := range steps {
		if st.Kind == "group" {
			known["group."+st.Name] = true
		}
		if st.Spec != nil {
			for _, phase := range st.Spec.Metrics {
				known[metrics.StepMetric(st.Name, phase)] = true
				for _, inner := range st.Spec.Inner {
					known[metrics.StepMetric(st.Name+"."+inner, phase)] = true
				}
			}
		}
		for _, v := range st.Params {
			if v.Type == TypeSteps {
				addSteps(known, v.Steps())
			}
		}
	}
}
