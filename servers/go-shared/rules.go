// Package benchshared is what the Go servers (go-gin, go-nethttp) share: TechEmpower's rules, the harness's
// environment, the pgx store and the versions report. Each server's build.sh links this folder into a private
// GOPATH as "benchshared" (Go builds offline in GOPATH mode from Debian's packages).
package benchshared

import (
	"html/template"
	"math/rand"
	"sort"
	"strconv"
	"time"
)

// TechEmpower's rules shared by the handlers (docs/techempower-rules.md).
const (
	worldRows    = 10000 // World ids are 1..10000
	maxQueries   = 500   // queries/updates clamp N to 1..500
	extraFortune = "Additional fortune added at request time."
)

// World is one World row; the JSON keys are "id" and "randomNumber".
type World struct {
	ID           int32 `json:"id"`
	RandomNumber int32 `json:"randomNumber"`
}

// Fortune is one Fortune row.
type Fortune struct {
	ID      int32
	Message string
}

// QueryCount is the queries parameter clamped to 1..500; missing, 0, negative or non-integer -> 1.
func QueryCount(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 {
		return 1
	}
	if n > maxQueries {
		return maxQueries
	}
	return n
}

// Go 1.19's math/rand starts every process from the same seed: without this, two servers run one after the
// other against one database would draw the same ids and numbers, so the second one's /updates would write the
// values the first one already wrote, and TechEmpower's changed-rows check would fail it.
func init() { rand.Seed(time.Now().UnixNano()) }

// RandomID is a World id to read (no cache: every request asks the database).
func RandomID() int32 {
	return int32(rand.Intn(worldRows) + 1)
}

// RandomIDs are n distinct World ids, so no row is read or updated twice in one request.
func RandomIDs(n int) []int32 {
	seen := make(map[int32]struct{}, n)
	ids := make([]int32, 0, n)
	for len(ids) < n {
		id := RandomID()
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	return ids
}

// WithExtraFortune adds the fortune added at request time and sorts by message (the SQL has no ORDER BY).
func WithExtraFortune(rows []Fortune) []Fortune {
	rows = append(rows, Fortune{ID: 0, Message: extraFortune})
	sort.Slice(rows, func(i, j int) bool { return rows[i].Message < rows[j].Message })
	return rows
}

// SortByID puts rows in id order: updates are written in that order, so concurrent requests cannot deadlock.
func SortByID(ws []World) {
	sort.Slice(ws, func(i, j int) bool { return ws[i].ID < ws[j].ID })
}

// FortunesTemplate escapes every message (html/template), so the <script> fortune renders as text.
var FortunesTemplate = template.Must(template.New("fortunes").Parse(`<!DOCTYPE html>
<html>
<head><title>Fortunes</title></head>
<body>
<table>
<tr><th>id</th><th>message</th></tr>
{{range .}}<tr><td>{{.ID}}</td><td>{{.Message}}</td></tr>
{{end}}</table>
</body>
</html>
`))
