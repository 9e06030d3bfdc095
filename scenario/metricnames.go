package scenario

import "github.com/pcflow/pcflow/metrics"

// knownMetrics is every metric the scenario can produce, for checking
// thresholds: the step metrics of every step by its kind's phases (and of
// a composite's inner operations), group.NAME of every group, the engine's
// iteration and schedule_lag, checks, errors and the counters. With a
// workload name, only that workload's steps (and setup's and teardown's)
// count: a threshold tagged {workload:W} on a step W never runs can
// never be measured.
func knownMetrics(s *Scenario, workload string) map[string]bool {
	known := map[string]bool{metrics.MetricIteration: true, metrics.MetricScheduleLag: true, "checks": true, "errors": true}
	for _, c := range metrics.Counters() {
		known[c.String()] = true
	}
	known["acks_lost"] = true
	add := func(st *Step) {
		if st.Kind == "group" {
			known["group."+st.Name] = true
		}
		for _, phase := range st.Spec.Metrics {
			known[metrics.StepMetric(st.Name, phase)] = true
			for _, inner := range st.Spec.Inner {
				known[metrics.StepMetric(st.Name+"."+inner, phase)] = true
			}
		}
	}
	walkSteps(s, workload, add)
	return known
}

// stepNames is the set of step names (metric labels) of the file.
func stepNames(s *Scenario) map[string]bool {
	names := map[string]bool{}
	walkSteps(s, "", func(st *Step) { names[st.Name] = true })
	return names
}

// walkSteps calls fn for every step of the file, nested ones included;
// a workload name limits the walk to it (and setup and teardown).
func walkSteps(s *Scenario, workload string, fn func(*Step)) {
	walkList(s.Setup, fn)
	walkList(s.Teardown, fn)
	for _, w := range s.Workloads {
		if workload == "" || w.Name == workload {
			walkList(w.VUSetup, fn)
			walkList(w.Steps, fn)
			walkList(w.VUTeardown, fn)
		}
	}
}

func walkList(steps []*Step, fn func(*Step)) {
	for _, st := range steps {
		if st.Spec == nil {
			continue
		}
		fn(st)
		for _, v := range st.Params {
			if v.Type == TypeSteps {
				walkList(v.Steps(), fn)
			}
		}
	}
}
