package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// The charts are hand-written SVG: a few hundred lines buy exact control
// of what a screenshot shows, colours from CSS variables (so one file
// serves light and dark), and no dependency. Every chart has a fixed
// viewBox and scales to its container's width.
const (
	chartW, chartH           = 760, 260
	marginL, marginR         = 60, 16
	marginT, marginB         = 54, 38 // the title, then the legend on its own row
	plotW                    = chartW - marginL - marginR
	plotH                    = chartH - marginT - marginB
	maxSeriesColours         = 6
	legendItemW              = 110
	tickCount                = 5
	hoverBandMin     float64 = 2
)

// lineSeries is one line of a chart; X is shared by the chart's series.
type lineSeries struct {
	Name  string
	Y     []float64
	Class string // CSS class: "s0"…"s5" for colours, "err" for errors
}

// lineChart is a chart of lines over a common X.
type lineChart struct {
	ID     string // the chart's data-chart name, used by the browser test
	Title  string
	X      []float64
	XLog   bool                   // x is drawn on log10 (the percentile spectrum)
	YLog   bool                   // y is drawn by decades (latencies from µs to s)
	XLabel func(x float64) string // tick and tooltip label of an x value
	XTicks []float64              // nil: evenly spaced, or round times with XTime
	XTime  bool                   // x is seconds of the run: ticks at round minutes/seconds
	// XSpan, when its end is above its start, widens the x range to cover
	// it: every time chart spans the whole run, so they line up.
	XSpan  [2]float64
	YLabel func(y float64) string
	Series []lineSeries
}

// svgBuilder accumulates SVG text.
type svgBuilder struct{ strings.Builder }

func (b *svgBuilder) f(format string, args ...any) { fmt.Fprintf(b, format, args...) }

func esc(s string) string { return html.EscapeString(s) }

// render draws the chart; an empty chart says so instead of drawing axes
// around nothing.
func (c lineChart) render() string {
	var b svgBuilder
	b.f(`<svg class="chart" data-chart="%s" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		esc(c.ID), chartW, chartH, esc(c.Title))
	b.f(`<text class="title" x="%d" y="18">%s</text>`, marginL, esc(c.Title))
	if len(c.X) == 0 || len(c.Series) == 0 {
		b.f(`<text class="empty" x="%d" y="%d">no data</text></svg>`, chartW/2, chartH/2)
		return b.String()
	}
	xs := c.X
	if c.XLog {
		xs = mapSlice(xs, math.Log10)
	}
	x0, x1 := minMax(xs)
	if c.XSpan[1] > c.XSpan[0] {
		x0, x1 = math.Min(x0, c.XSpan[0]), math.Max(x1, c.XSpan[1])
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	ticks, py := c.yScale()
	px := func(x float64) float64 { return marginL + (x-x0)/(x1-x0)*plotW }

	c.axes(&b, ticks, py, px, x0, x1)
	for i, s := range c.Series {
		class := s.Class
		if class == "" {
			class = fmt.Sprintf("s%d", i%maxSeriesColours)
		}
		b.f(`<polyline class="series %s" data-name="%s" data-points="%d" points="`, class, esc(s.Name), len(s.Y))
		for k, y := range s.Y {
			b.f("%.1f,%.1f ", px(xs[k]), py(y))
		}
		b.f(`"/>`)
		if len(s.Y) == 1 { // a single point draws no line: mark it
			b.f(`<circle class="dot %s" cx="%.1f" cy="%.1f" r="3"/>`, class, px(xs[0]), py(s.Y[0]))
		}
	}
	c.legend(&b)
	c.hoverBands(&b, xs, px)
	b.f(`</svg>`)
	return b.String()
}

// yScale returns the y ticks and the value → pixel mapping: linear from
// 0 with headroom, or by decades on YLog.
func (c lineChart) yScale() (ticks []float64, py func(float64) float64) {
	lo, hi := math.Inf(1), 0.0
	for _, s := range c.Series {
		for _, y := range s.Y {
			hi = math.Max(hi, y)
			if y > 0 {
				lo = math.Min(lo, y)
			}
		}
	}
	if !c.YLog || hi <= 0 {
		ticks = niceTicks(hi * 1.05) // headroom: a line at the maximum stays off the frame
		top := ticks[len(ticks)-1]
		return ticks, func(y float64) float64 { return marginT + plotH - y/top*plotH }
	}
	d0, d1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if d1 == d0 {
		d1++
	}
	for d := d0; d <= d1; d++ {
		ticks = append(ticks, math.Pow(10, d))
	}
	return ticks, func(y float64) float64 {
		ly := d0 // zero (nothing measured that fast) sits on the bottom line
		if y > 0 {
			ly = math.Log10(y)
		}
		return marginT + plotH - (ly-d0)/(d1-d0)*plotH
	}
}

// axes draws the y grid with labels and the x tick labels.
func (c lineChart) axes(b *svgBuilder, ticks []float64, py, px func(float64) float64, x0, x1 float64) {
	for _, t := range ticks {
		y := py(t)
		b.f(`<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, marginL, y, chartW-marginR, y)
		b.f(`<text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`, marginL-6, y+4, esc(c.YLabel(t)))
	}
	b.f(`<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, marginL, marginT+plotH, chartW-marginR, marginT+plotH)
	xt := c.XTicks
	if xt == nil && c.XTime {
		xt = timeTicks(x0, x1)
	}
	if xt == nil {
		for i := 0; i <= tickCount; i++ {
			v := x0 + (x1-x0)*float64(i)/tickCount
			if c.XLog {
				v = math.Pow(10, v)
			}
			xt = append(xt, v)
		}
	}
	for _, v := range xt {
		lv := v
		if c.XLog {
			lv = math.Log10(v)
		}
		if lv < x0-1e-9 || lv > x1+1e-9 {
			continue
		}
		b.f(`<text class="tick" x="%.1f" y="%d" text-anchor="%s">%s</text>`, px(lv), chartH-marginB+16,
			anchorAt(px(lv)), esc(c.XLabel(v)))
	}
}

func (c lineChart) legend(b *svgBuilder) {
	x := chartW - marginR - legendItemW*len(c.Series)
	for i, s := range c.Series {
		class := s.Class
		if class == "" {
			class = fmt.Sprintf("s%d", i%maxSeriesColours)
		}
		lx := x + i*legendItemW
		b.f(`<rect class="key %s" x="%d" y="27" width="12" height="4"/>`, class, lx)
		b.f(`<text class="legend" x="%d" y="33">%s</text>`, lx+16, esc(clip(s.Name, 15)))
	}
}

// hoverBands lays an invisible band over each x value whose data-tip lists
// every series there; the page's script shows it next to the pointer, and
// the title element is the fallback without script.
func (c lineChart) hoverBands(b *svgBuilder, xs []float64, px func(float64) float64) {
	for k := range xs {
		left, right := px(xs[k]), px(xs[k])
		if k > 0 {
			left = (px(xs[k-1]) + px(xs[k])) / 2
		}
		if k < len(xs)-1 {
			right = (px(xs[k]) + px(xs[k+1])) / 2
		}
		if right-left < hoverBandMin {
			left, right = left-hoverBandMin/2, right+hoverBandMin/2
		}
		parts := []string{c.XLabel(c.X[k])}
		for _, s := range c.Series {
			if k < len(s.Y) {
				parts = append(parts, s.Name+" "+c.YLabel(s.Y[k]))
			}
		}
		tip := esc(strings.Join(parts, " · "))
		b.f(`<rect class="band" x="%.1f" y="%d" width="%.1f" height="%d" data-tip="%s"><title>%s</title></rect>`,
			left, marginT, right-left, plotH, tip, tip)
	}
}

// anchorAt keeps a tick label at the right edge inside the picture.
func anchorAt(x float64) string {
	if x > chartW-marginR-20 {
		return "end"
	}
	return "middle"
}

// timeTicks are round instants (in seconds) between x0 and x1, about 6.
func timeTicks(x0, x1 float64) []float64 {
	span := x1 - x0
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400} {
		step = s
		if span/s <= 7 {
			break
		}
	}
	var ts []float64
	for v := math.Ceil(x0/step) * step; v <= x1; v += step {
		ts = append(ts, v)
	}
	return ts
}

// niceTicks returns 0 and evenly spaced round values up to at least max.
func niceTicks(max float64) []float64 {
	if max <= 0 {
		return []float64{0, 1}
	}
	raw := max / tickCount
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ts []float64
	for v := 0.0; ; v += step {
		ts = append(ts, v)
		if v >= max {
			return ts
		}
	}
}

func minMax(v []float64) (lo, hi float64) {
	if len(v) == 0 {
		return 0, 0
	}
	lo, hi = v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

func mapSlice(v []float64, f func(float64) float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = f(x)
	}
	return out
}
