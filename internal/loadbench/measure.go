package main

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// settledRSS collects garbage, hands freed pages back to the OS and reads
// the resident set in KiB, so that what remains is what the process holds.
func settledRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return rssKiB()
}

// rssKiB is VmRSS from /proc/self/status (0 where there is none).
func rssKiB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the process's user + system CPU time so far (getrusage).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// groupCPU is the user + system CPU time of the live processes in process
// group pgid (the simulator, and `go run` above it), from /proc/PID/stat;
// 0 when pgid is 0.
func groupCPU(pgid int) time.Duration {
	if pgid == 0 {
		return 0
	}
	dirs, _ := os.ReadDir("/proc")
	var ticks int64
	for _, d := range dirs {
		if d.Name()[0] < '0' || d.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the parenthesised command name: state(3) ppid(4)
		// pgrp(5) … utime(14) stime(15).
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// perThousand is CPU seconds per 1,000 operations.
func perThousand(cpu time.Duration, ops int64) float64 {
	if ops == 0 {
		return 0
	}
	return cpu.Seconds() * 1000 / float64(ops)
}

// profileWindow starts a CPU profile into cpuFile (if set) and returns the
// function that ends it and writes an allocation profile into memFile (if
// set), for `go tool pprof`.
func profileWindow(cpuFile, memFile string) (stop func() error, err error) {
	var f *os.File
	if cpuFile != "" {
		if f, err = os.Create(cpuFile); err != nil {
			return nil, err
		}
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() error {
		if f != nil {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				return err
			}
		}
		if memFile == "" {
			return nil
		}
		m, err := os.Create(memFile)
		if err != nil {
			return err
		}
		defer m.Close()
		return pprof.Lookup("allocs").WriteTo(m, 0)
	}, nil
}
