// A JSON server for the --revisions tests (revisions_run_test.cpp): the test commits it at several revisions
// with another `spin`, the CPU each request burns before it answers, and checks that bench catches the change.
package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"time"
)

const spin = 0 * time.Microsecond

func main() {
	host := os.Getenv("BENCH_HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	http.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		for start := time.Now(); time.Since(start) < spin; {
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Server", "spin")
		json.NewEncoder(w).Encode(map[string]string{"message": "Hello, World!"})
	})
	if err := http.ListenAndServe(net.JoinHostPort(host, os.Getenv("PORT")), nil); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
