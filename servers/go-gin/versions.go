package main

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"

	"github.com/gin-gonic/gin"
)

// debianVersions is set by build.sh from dpkg: "package=version;..." for the libraries built in that have no
// version constant of their own (pgx v4).
var debianVersions string

// printVersions writes this server's components and versions as one JSON object (the scenario's `versions`
// command captures it into the results): Go, Gin (its HTTP server is Go's net/http) and the pgx driver.
func printVersions() {
	out := map[string]string{"go": runtime.Version(), "gin": gin.Version}
	names := map[string]string{"golang-go": "golang-go", "golang-github-jackc-pgx-v4-dev": "pgx"}
	for _, entry := range strings.Split(debianVersions, ";") {
		if name, version, ok := strings.Cut(entry, "="); ok && names[name] != "" {
			out[names[name]] = version
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
