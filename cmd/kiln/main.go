// Command kiln ports legacy shell porcelain to Go builtins and proves each
// port right. See the README for the subcommands.
//
// Invoked under the name of a finished builtin (git-quiltimport, ...), the
// binary runs that builtin instead, busybox style.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}
