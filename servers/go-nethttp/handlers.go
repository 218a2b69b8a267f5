package main

import (
	"bytes"
	"context"
	"net/http"

	"benchshared"
)

// store is one data-access layer; every method sends the statements TechEmpower's rules require (one SELECT
// per row, one UPDATE per row), so the variants differ only in the code between the handler and the driver.
// benchshared.PgxStore is the raw rung.
type store interface {
	World(ctx context.Context, id int32) (benchshared.World, error)
	Worlds(ctx context.Context, ids []int32) ([]benchshared.World, error) // one query per id
	Fortunes(ctx context.Context) ([]benchshared.Fortune, error)
	UpdateWorlds(ctx context.Context, ids []int32) ([]benchshared.World, error) // new numbers, written in id order
	Close()
}

// addDatabaseRoutes serves /db, /queries, /fortunes and /updates from db.
func addDatabaseRoutes(mux *http.ServeMux, db store) {
	mux.HandleFunc("/db", func(w http.ResponseWriter, r *http.Request) {
		row, err := db.World(r.Context(), benchshared.RandomID())
		writeJSON(w, row, err)
	})
	mux.HandleFunc("/queries", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.Worlds(r.Context(), benchshared.RandomIDs(benchshared.QueryCount(r.URL.Query().Get("queries"))))
		writeJSON(w, rows, err)
	})
	mux.HandleFunc("/updates", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.UpdateWorlds(r.Context(), benchshared.RandomIDs(benchshared.QueryCount(r.URL.Query().Get("queries"))))
		writeJSON(w, rows, err)
	})
	mux.HandleFunc("/fortunes", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.Fortunes(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		var page bytes.Buffer
		if err := benchshared.FortunesTemplate.Execute(&page, benchshared.WithExtraFortune(rows)); err != nil {
			fail(w, err)
			return
		}
		w.Header()["Content-Type"] = []string{"text/html; charset=utf-8"}
		w.Write(page.Bytes())
	})
}
