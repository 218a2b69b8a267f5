package main

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
)

// store is one data-access layer; every method sends the statements TechEmpower's rules require (one SELECT
// per row, one UPDATE per row), so the variants differ only in the code between the handler and the driver.
type store interface {
	world(ctx context.Context, id int32) (world, error)
	worlds(ctx context.Context, ids []int32) ([]world, error) // one query per id
	fortunes(ctx context.Context) ([]fortune, error)
	updateWorlds(ctx context.Context, ids []int32) ([]world, error) // new numbers, written in id order
	close()
}

// fortunesTemplate escapes every message (html/template), so the <script> fortune renders as text.
var fortunesTemplate = template.Must(template.New("fortunes").Parse(`<!DOCTYPE html>
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

// addDatabaseRoutes serves /db, /queries, /fortunes and /updates from db.
func addDatabaseRoutes(mux *http.ServeMux, db store) {
	mux.HandleFunc("/db", func(w http.ResponseWriter, r *http.Request) {
		row, err := db.world(r.Context(), randomID())
		writeJSON(w, row, err)
	})
	mux.HandleFunc("/queries", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.worlds(r.Context(), randomIDs(queryCount(r.URL.Query().Get("queries"))))
		writeJSON(w, rows, err)
	})
	mux.HandleFunc("/updates", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.updateWorlds(r.Context(), randomIDs(queryCount(r.URL.Query().Get("queries"))))
		writeJSON(w, rows, err)
	})
	mux.HandleFunc("/fortunes", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.fortunes(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		var page bytes.Buffer
		if err := fortunesTemplate.Execute(&page, withExtraFortune(rows)); err != nil {
			fail(w, err)
			return
		}
		w.Header()["Content-Type"] = []string{"text/html; charset=utf-8"}
		w.Write(page.Bytes())
	})
}
