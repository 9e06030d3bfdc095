package main

import "fmt"

// usageError marks a mistake in the command line or the scenario: main
// exits with code 2 for it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}
