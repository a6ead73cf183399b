// Package translate holds the mapping rules from shell to Go: which git
// calls become which gitapi calls, and which programs stay external by
// design. `kiln scan` reports through the same registry (its audit
// category column), so the audit and the translator never disagree.
package translate
