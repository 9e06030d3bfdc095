package report

import "fmt"

// splitRow is one async step in the http vs ack chart: for each shown
// percentile, the http half and the ack half in milliseconds.
type splitRow struct {
	Step string
	Pcts []string // "p50", "p95"
	HTTP []float64
	Ack  []float64
}

const (
	barH      = 14
	barGap    = 4
	rowGap    = 14
	barLabelW = 230 // "upload › exchange-data-for-token" clipped in the middle, then "p95"
)

// renderSplit draws horizontal stacked bars, http then ack, per step and
// percentile: where a step's time goes — the API's answer, or the
// server-side work that the WebSocket message reports.
func renderSplit(id, title string, rows []splitRow) string {
	var b svgBuilder
	per := 0
	if len(rows) > 0 {
		per = len(rows[0].Pcts)
	}
	h := marginT + len(rows)*(per*(barH+barGap)+rowGap) + marginB
	if len(rows) == 0 {
		h = chartH / 2
	}
	b.f(`<svg class="chart" data-chart="%s" viewBox="0 0 %d %d" role="img" aria-label="%s">`, esc(id), chartW, h, esc(title))
	b.f(`<text class="title" x="%d" y="18">%s</text>`, marginL, esc(title))
	if len(rows) == 0 {
		b.f(`<text class="empty" x="%d" y="%d">no async steps</text></svg>`, chartW/2, h/2+6)
		return b.String()
	}
	max := 0.0
	for _, r := range rows {
		for i := range r.HTTP {
			max = maxf(max, r.HTTP[i]+r.Ack[i])
		}
	}
	ticks := niceTicks(max * 1.02)
	top := ticks[len(ticks)-1]
	x0, w := float64(barLabelW), float64(chartW-marginR-barLabelW)
	px := func(v float64) float64 { return x0 + v/top*w }
	bottom := h - marginB
	for _, t := range ticks {
		b.f(`<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, px(t), marginT, px(t), bottom)
		b.f(`<text class="tick" x="%.1f" y="%d" text-anchor="%s">%s</text>`, px(t), bottom+16, anchorAt(px(t)), esc(formatMs(t)))
	}
	y := marginT
	for _, r := range rows {
		b.f(`<text class="rowlabel" x="%d" y="%d">%s</text>`, 8, y+barH-2, esc(clipLabel(r.Step, 30)))
		for i, p := range r.Pcts {
			b.f(`<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>`, barLabelW-6, y+barH-3, p)
			tip := esc(fmt.Sprintf("%s %s · http %s · ack %s", r.Step, p, formatMs(r.HTTP[i]), formatMs(r.Ack[i])))
			b.f(`<rect class="bar s0" data-tip="%s" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s</title></rect>`,
				tip, px(0), y, px(r.HTTP[i])-px(0), barH, tip)
			b.f(`<rect class="bar s1" data-tip="%s" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s</title></rect>`,
				tip, px(r.HTTP[i]), y, px(r.HTTP[i]+r.Ack[i])-px(r.HTTP[i]), barH, tip)
			y += barH + barGap
		}
		y += rowGap
	}
	lx := chartW - marginR - 2*legendItemW
	for i, name := range []string{"http", "ack"} {
		b.f(`<rect class="key s%d" x="%d" y="26" width="12" height="8"/>`, i, lx+i*legendItemW)
		b.f(`<text class="legend" x="%d" y="34">%s</text>`, lx+i*legendItemW+16, name)
	}
	b.f(`</svg>`)
	return b.String()
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
