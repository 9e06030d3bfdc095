// Package vote is the voting engine of the Privicore simulator: the
// arithmetic of the four quorum strategies and the state machine of one
// voting pool (a "poll" in the reference), from its first ballot to its
// final outcome, across attempts.
//
// It exists apart from package sim so that the part of Privicore that is
// hardest to simulate well can be tested exhaustively without HTTP, timers
// or goroutines: every method that depends on time takes an explicit now,
// so a test drives a pool through its attempts to the nanosecond.
//
// The model follows the wire reference, §1.10 and §2.8–2.10:
//
//   - A Rule is a strategy with its percentage (strategy_params /
//     percentageRequired). Rule.Early and Rule.AtLimit decide a pool from
//     its ballot counts; the formulas sit next to the code in decide.go.
//   - A Pool has fixed targets (the authenticators that receive ballots),
//     a quorum, a time limit per attempt and an attempt limit. A ballot
//     from a device that is not a target is refused, as is a second ballot
//     in one attempt and any ballot after the attempt or the pool ended.
//     When an attempt fails (time limit without quorum, or rejection) a new
//     attempt starts with empty ballots until the attempt limit is reached;
//     then the pool ends with a machine reason such as voting.rejected.
//   - A finished pool never changes again.
//
// Concurrency: a Pool is a plain value and is NOT safe for concurrent use.
// The simulator holds its own lock around every call; the pure functions
// and the immutable Rule are safe to share.
package vote
