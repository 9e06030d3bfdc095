package scenario

// suggest returns the candidate nearest to got by edit distance, when it
// is near enough to be a plausible typo (at most a third of the longer
// name, and never more than 3 edits); "" otherwise. A hint that names an
// unrelated key misleads more than no hint.
func suggest(got string, candidates []string) string {
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

// didYouMean is suggest as a Problem hint.
func didYouMean(got string, candidates []string) string {
	if s := suggest(got, candidates); s != "" {
		return "did you mean `" + s + "`?"
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b over bytes; names
// here are ASCII. Inputs longer than 64 bytes are cut so that a hostile
// key cannot make hinting quadratic in the file's size.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	var rowBuf [maxLen + 1]int
	row := rowBuf[:len(b)+1]
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cur := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return row[len(b)]
}
