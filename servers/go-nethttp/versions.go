package main

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"
)

// debianVersions is set by build.sh from dpkg: "package=version;..." for Go and the libraries built in.
var debianVersions string

// printVersions writes this server's components and versions as one JSON object (the scenario's `versions`
// command captures it into the results).
func printVersions() {
	out := map[string]string{"go": runtime.Version()}  // net/http is part of Go: its version is Go's
	names := map[string]string{
		"golang-go": "golang-go", "golang-github-jackc-pgx-v4-dev": "pgx",
		"golang-github-jmoiron-sqlx-dev": "sqlx", "golang-entgo-ent-dev": "ent",
	}
	for _, entry := range strings.Split(debianVersions, ";") {
		if name, version, ok := strings.Cut(entry, "="); ok && names[name] != "" {
			out[names[name]] = version
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
