// Command pause is the node tests' pod sandbox: PID 1 of a pod's shared namespaces. It does what
// upstream's build/pause does: nothing until SIGINT or SIGTERM (StopPodSandbox), then exits at once,
// and it reaps the zombies it inherits as the pod's init under shareProcessNamespace.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
