// Command jwtgen writes a JWT authentication package into a Go project from
// templates, and keeps it up to date from jwtgen.yaml.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit code: 0 on
// success, 1 on any error (including drift found by generate --check).
func run(args []string) int {
	cmd := newRootCmd(osTerminal())
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintf(os.Stderr, "jwtgen: %v\n", err)
		return 1
	}
	return 0
}
