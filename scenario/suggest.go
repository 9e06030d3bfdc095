package scenario

// Suggest returns the candidate nearest to got by edit distance, when it
// is near enough to be a plausible typo (at most a third of the longer
// name, and never more than 3 edits); "" otherwise. A hint that names an
// unrelated key misleads more than no hint. The loader's "did you mean"
// hints use it, and so does anything else that names the nearest valid
// word (steps' unknown kinds).
func Suggest(got string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(got, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(len(got), len(best)) / 3
	if limit < 1 {
		limit = 1
	}
	if bestD > min(limit, 3) {
		return ""
	}
	return best
}

// didYouMean is Suggest as a Problem hint.
func didYouMean(got string, candidates []string) string {
	if s := Suggest(got, candidates); s != "" {
		return "did you mean `" + s + "`?"
	}
	return ""
}

// editDistance is the optimal-string-alignment distance of a and b over
// bytes (Levenshtein plus swapping two neighbours, the commonest typo:
// PSOT for POST); names here are ASCII. Inputs longer than 64 bytes are
// cut so that a hostile key cannot make hinting quadratic in the file.
func editDistance(a, b string) int {
	const maxLen = 64
	a, b = a[:min(len(a), maxLen)], b[:min(len(b), maxLen)]
	var rows [3][maxLen + 1]int // the two rows before the current one, and it
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
