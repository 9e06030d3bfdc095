// Package privicore is a client for the Privicore API, usable on its own by
// any Go program.
//
// It imports nothing else of pcflow and shares no code with package sim:
// the two are independent readings of the same wire reference, so each
// tests the other.
package privicore
