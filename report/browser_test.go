package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chartCheck is what the page's script reports about one chart.
type chartCheck struct {
	ID     string  `json:"id"`
	Width  float64 `json:"width"`
	Lines  int     `json:"lines"`  // polylines with points
	Bars   int     `json:"bars"`   // bars with a width
	Points int     `json:"points"` // data points over all lines
	Bands  int     `json:"bands"`  // hover targets
	Empty  bool    `json:"empty"`  // the chart says it has nothing to show
}

// checkCharts measures every chart as the browser laid it out.
const checkCharts = `Array.from(document.querySelectorAll("svg.chart")).map(function (svg) {
  var lines = Array.from(svg.querySelectorAll("polyline.series")).filter(function (p) { return p.points.numberOfItems > 0; });
  return {
    id: svg.getAttribute("data-chart"),
    width: svg.getBoundingClientRect().width,
    lines: lines.length,
    bars: Array.from(svg.querySelectorAll("rect.bar")).filter(function (r) { return r.getBBox().width > 0; }).length,
    points: lines.reduce(function (n, p) { return n + p.points.numberOfItems; }, 0),
    bands: svg.querySelectorAll("[data-tip]").length,
    empty: svg.querySelector("text.empty") !== null
  };
})`

// middleBand scrolls the throughput chart's middle hover band into view
// and returns its centre in viewport coordinates.
const middleBand = `(function () {
  var bands = document.querySelectorAll('svg[data-chart="throughput"] rect.band');
  var b = bands[Math.floor(bands.length / 2)];
  b.scrollIntoView({block: "center"});
  var r = b.getBoundingClientRect();
  return [r.x + r.width / 2, r.y + r.height / 2];
})()`

// tipText is the tooltip's text, "" while it is hidden.
const tipText = `(function () { var t = document.getElementById("tip"); return t.hidden ? "" : t.textContent; })()`

// TestHTMLInBrowser loads the HTML report in headless Chromium from disk
// with networking disabled, and checks that every chart rendered with data,
// that hovering shows values, and that the console stayed clean. It runs
// where Debian's chromium is installed (.ci/run installs it) and skips
// elsewhere. With PCFLOW_SCREENSHOTS=DIR it also saves the page at 1280 and
// 800 px wide in light and dark mode; PCFLOW_BROWSER_RESULT=FILE.json
// checks that result's report instead of the synthetic one.
func TestHTMLInBrowser(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	r, wantCharts := synthResult(t, 3, 30000, 10*time.Minute), 7
	if in := os.Getenv("PCFLOW_BROWSER_RESULT"); in != "" { // look at a real run's report instead
		f, err := os.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if r, err = DecodeJSON(f); err != nil {
			t.Fatal(err)
		}
		wantCharts = -1
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, htmlOf(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		// No network: every request would go to a proxy that is not there.
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"), chromedp.Flag("proxy-bypass-list", "<-loopback>"),
	)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var mu sync.Mutex
	var problems []string
	if err := chromedp.Do(bctx); err != nil { // start the browser so that the subscriptions have a target
		t.Fatal(err)
	}
	go func() {
		for m, err := range chromedp.Console(bctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException || m.Type == "error" || m.Type == "warning" {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(bctx, network.RequestWillBeSent) {
			if err != nil {
				return
			}
			if u := ev.Request.URL; !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") {
				mu.Lock()
				problems = append(problems, "network request: "+u)
				mu.Unlock()
			}
		}
	}()
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Logf("offline emulation unavailable (%v); the dead proxy still blocks the network", err)
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate("file://"+page)); err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(bctx, chromedp.Evaluate[[]chartCheck](checkCharts))
	if err != nil {
		t.Fatal(err)
	}
	if wantCharts >= 0 && len(charts) != wantCharts {
		t.Errorf("%d charts rendered; want %d", len(charts), wantCharts)
	}
	for _, c := range charts {
		hasData := c.Lines > 0 && c.Points > 1 || c.Bars > 0
		if c.Empty && wantCharts < 0 {
			continue // a real run may lack, say, async steps; the chart says so
		}
		if c.Width < 300 || !hasData || c.Bands == 0 {
			t.Errorf("chart %s did not render with data: %+v", c.ID, c)
		}
	}
	if dir := os.Getenv("PCFLOW_SCREENSHOTS"); dir != "" {
		screenshots(t, bctx, dir) // before the hover, whose tooltip would show in them
	}
	// Hover with the browser's own pointer, as a reader's mouse would.
	at, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](middleBand))
	if err != nil || len(at) != 2 {
		t.Fatalf("no band to hover: %v %v", at, err)
	}
	if err := chromedp.Do(bctx, chromedp.MouseEvent(chromedp.MouseMoved, at[0], at[1])); err != nil {
		t.Fatal(err)
	}
	tip, err := chromedp.Run(bctx, chromedp.Evaluate[string](tipText))
	if err != nil || !strings.Contains(tip, "iterations/s") {
		t.Errorf("hovering the throughput chart shows %q (%v); want its values", tip, err)
	}
	if dir := os.Getenv("PCFLOW_SCREENSHOTS"); dir != "" { // what the hover looks like
		png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "report-hover.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond) // let the console events of the last actions arrive
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("console: %s", p)
	}
}

// screenshots saves the page at two widths in both colour schemes.
func screenshots(t *testing.T, ctx context.Context, dir string) {
	for _, width := range []int64{1280, 800} {
		for _, scheme := range []string{"light", "dark"} {
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, "report-"+itoa(int(width))+"-"+scheme+".png")
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
