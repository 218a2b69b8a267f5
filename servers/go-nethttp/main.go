// Command nethttp-server serves TechEmpower's endpoints with Go's net/http and one of three data-access
// layers, Go's own ORM ladder:
//
//	json  no database: /json and /plaintext only (the HTTP floor)
//	raw   pgx v4 pool (pgxpool), hand-written SQL on statements prepared once per connection
//	sqlx  sqlx 1.3 over database/sql (pgx's stdlib driver): hand-written SQL, rows scanned into structs
//	ent   ent 0.11, a full ORM: generated typed query builders (ent/, from entschema/), entities, mutations
//
// BENCH_VARIANT selects the variant; it listens on $BENCH_HOST:$PORT (default 127.0.0.1). Build offline with ./build.sh (GOPATH
// mode from Debian's Go packages; the generated ent code is committed, entgen/ regenerates it).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"benchshared"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--versions" {
		printVersions()
		return
	}
	cfg, err := benchshared.LoadConfig("json", "raw", "sqlx", "ent") // ladder order: none, pgx, sqlx (micro), ent (full ORM)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nethttp server: %v\n", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "nethttp server: %v\n", err)
		os.Exit(1)
	}
}

// run serves until SIGTERM or SIGINT, then shuts down gracefully.
func run(cfg benchshared.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	mux := http.NewServeMux()
	mux.HandleFunc("/json", jsonHandler)
	mux.HandleFunc("/plaintext", plaintextHandler)
	if cfg.Variant != "json" {
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		addDatabaseRoutes(mux, db)
	}

	server := &http.Server{Addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)), Handler: serverHeader(mux)}
	failed := make(chan error, 1)
	go func() { failed <- server.ListenAndServe() }()
	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return server.Shutdown(shutdownCtx)
}

// openStore opens the variant's data-access layer with every pooled connection open.
func openStore(ctx context.Context, cfg benchshared.Config) (store, error) {
	switch cfg.Variant {
	case "raw":
		return benchshared.OpenPgxStore(ctx, cfg.DSN, cfg.PoolSize)
	case "sqlx":
		return openSqlxStore(ctx, cfg.DSN, cfg.PoolSize)
	case "ent":
		return openEntStore(ctx, cfg.DSN, cfg.PoolSize)
	}
	return nil, fmt.Errorf("variant %q has no database", cfg.Variant)
}

// serverHeader adds the Server header TechEmpower requires (net/http adds Date, not Server).
func serverHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Server"] = []string{"nethttp"}
		next.ServeHTTP(w, r)
	})
}

// jsonHandler serializes a fresh message per request with encoding/json.
func jsonHandler(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, struct {
		Message string `json:"message"`
	}{"Hello, World!"}, nil)
}

func plaintextHandler(w http.ResponseWriter, r *http.Request) {
	w.Header()["Content-Type"] = []string{"text/plain"}
	w.Write([]byte("Hello, World!"))
}

// writeJSON writes value with encoding/json, or a 500 naming the error.
func writeJSON(w http.ResponseWriter, value any, err error) {
	if err != nil {
		fail(w, err)
		return
	}
	body, err := json.Marshal(value)
	if err != nil {
		fail(w, err)
		return
	}
	w.Header()["Content-Type"] = []string{"application/json"}
	w.Write(body)
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, "database error: "+err.Error(), http.StatusInternalServerError)
}
