package steps_test

import (
	"fmt"
	"os"

	"github.com/pcflow/pcflow/steps"
)

// The catalogue documents itself: this is `pcflow steps sleep`.
func ExampleCatalogue_WriteKind() {
	if err := steps.Builtin().WriteKind(os.Stdout, "sleep"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// sleep — Pause for a fixed duration or a uniform draw from a range (think time).
	//
	// Parameters:
	//   NAME      TYPE               REQUIRED  DEFAULT  MEANING
	//   duration  duration or range  yes       -        250ms, or a range 200ms..800ms
	//
	// Captures:
	//   (none)
	//
	// Metrics:
	//   (none)
	//
	// Example:
	//   - sleep: 200ms..800ms
}

// A misspelt kind names the nearest one.
func ExampleCatalogue_WriteKind_unknown() {
	fmt.Println(steps.Builtin().WriteKind(os.Stdout, "onbaord"))
	// Output:
	// unknown step kind "onbaord"; did you mean onboard?
}
