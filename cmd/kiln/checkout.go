package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// checkoutDefault resolves a directory flag whose default is relative to
// the checkout's root (tests/fixtures, tests/bench): when the flag was
// not given, the first of the working directory and its parents that has
// that directory holds it, so the default works from any directory of
// the checkout. A flag given is taken as it is; when no parent has the
// directory, the default stays relative (and its error names it).
func checkoutDefault(cmd *cobra.Command, flag, value string) string {
	if cmd.Flags().Changed(flag) || filepath.IsAbs(value) {
		return value
	}
	wd, err := os.Getwd()
	if err != nil {
		return value
	}
	for dir := wd; ; {
		candidate := filepath.Join(dir, value)
		if info, err := os.Stat(candidate); err == nil && info.IsDir() {
			// Relative to the working directory, as reports name it.
			if rel, err := filepath.Rel(wd, candidate); err == nil {
				return rel
			}
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return value
		}
		dir = parent
	}
}
