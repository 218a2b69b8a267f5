package main

import (
	"benchshared"

	"github.com/gin-gonic/gin"
)

// debianVersions is set by build.sh from dpkg: "package=version;..." for the libraries built in that have no
// version constant of their own (pgx v4).
var debianVersions string

// printVersions writes this server's components and versions as one JSON object: Go, Gin (from its version
// constant; its HTTP server is Go's net/http) and the pgx driver.
func printVersions() {
	benchshared.PrintVersions(map[string]string{"gin": gin.Version}, debianVersions,
		map[string]string{"golang-go": "golang-go", "golang-github-jackc-pgx-v4-dev": "pgx"})
}
