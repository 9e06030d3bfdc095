package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profiles are run's --cpuprofile and --memprofile: where a load run's CPU
// and memory go, for pcflow's own performance work (go tool pprof -top).
type profiles struct {
	cpu, mem string
	cpuFile  *os.File
	memDone  bool
}

// start begins the CPU profile.
func (p *profiles) start() error {
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	p.cpuFile = f
	return nil
}

// heap writes the heap profile once: when the load is stopping, before
// the VUs are torn down, so that it shows what live VUs hold.
func (p *profiles) heap() {
	if p.mem == "" || p.memDone {
		return
	}
	p.memDone = true
	f, err := os.Create(p.mem)
	if err != nil {
		return
	}
	runtime.GC()
	pprof.WriteHeapProfile(f)
	f.Close()
}

// stop ends the CPU profile and writes the heap profile if not yet done.
func (p *profiles) stop() {
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		p.cpuFile.Close()
	}
	p.heap()
}
