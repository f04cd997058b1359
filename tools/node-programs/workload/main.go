// Command workload is the node tests' claim-consuming container: it prints its environment, where
// the DRA driver's CDI edits land, one variable a line in order, then waits and exits at once on
// SIGTERM so that drains and deletions take no grace period.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func main() {
	environ := os.Environ()
	sort.Strings(environ)
	for _, variable := range environ {
		fmt.Println(variable)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
}
