package main

import "benchshared"

// debianVersions is set by build.sh from dpkg: "package=version;..." for Go and the libraries built in.
var debianVersions string

// printVersions writes this server's components and versions as one JSON object (the scenario's `versions`
// command captures it into the results): Go (net/http is part of it), pgx, sqlx and ent.
func printVersions() {
	benchshared.PrintVersions(nil, debianVersions, map[string]string{
		"golang-go": "golang-go", "golang-github-jackc-pgx-v4-dev": "pgx",
		"golang-github-jmoiron-sqlx-dev": "sqlx", "golang-entgo-ent-dev": "ent",
	})
}
