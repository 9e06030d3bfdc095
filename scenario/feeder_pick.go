package scenario

// pickFeeders binds each feeder's row for the VU. At the VU's start
// (first) only per-vu and random feeders are bound — those are the ones
// vu-setup may read; per-iteration feeders take their next row at every
// iteration. It returns false when a stop feeder has no row left.
func (e *Env) pickFeeders(first bool) bool {
	for _, f := range e.w.Data {
		n := int64(len(f.rows))
		if n == 0 {
			continue
		}
		var i int64
		switch f.Pick {
		case PickPerVU:
			if !first {
				continue
			}
			i = int64(e.vu - 1)
			if i < 0 {
				i = 0
			}
		case PickRandom:
			i = e.rng.Int64N(n)
		case PickPerIteration:
			if first {
				continue
			}
			i = f.next.Add(1) - 1
		}
		if i >= n && f.OnEnd == OnEndStop {
			e.exhausted = true
			return false
		}
		e.vals[f.Name] = f.rows[i%n]
	}
	return true
}
