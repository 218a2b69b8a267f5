// Command gin-server serves TechEmpower's endpoints with Gin 1.8 and, for the raw variant, pgx v4.
//
// BENCH_VARIANT selects the variant: json (no database: /json and /plaintext only) or raw (pgxpool,
// hand-written SQL on statements prepared once per connection). It listens on $BENCH_HOST:$PORT (default 127.0.0.1).
// Build offline from Debian's packages and ../go-shared with ./build.sh. `./gin-server --versions` prints the
// components' versions as JSON.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"benchshared"

	"github.com/gin-gonic/gin"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--versions" {
		printVersions()
		return
	}
	cfg, err := benchshared.LoadConfig("json", "raw")
	if err != nil {
		fmt.Fprintf(os.Stderr, "gin server: %v\n", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "gin server: %v\n", err)
		os.Exit(1)
	}
}

// run serves until SIGTERM or SIGINT, then shuts down gracefully.
func run(cfg benchshared.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	router := newRouter()
	if cfg.Variant == "raw" {
		db, err := benchshared.OpenPgxStore(ctx, cfg.DSN, cfg.PoolSize)
		if err != nil {
			return err
		}
		defer db.Close()
		addDatabaseRoutes(router, db)
	}

	server := &http.Server{Addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)), Handler: router}
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

// newRouter is Gin in release mode with no request logging, serving /json and /plaintext.
func newRouter() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(gin.Recovery(), serverHeader)
	router.GET("/json", jsonHandler)
	router.GET("/plaintext", plaintextHandler)
	return router
}

// serverHeader adds the Server header TechEmpower requires (net/http adds Date, not Server).
func serverHeader(c *gin.Context) {
	c.Header("Server", "gin")
}

// jsonHandler serializes a fresh message per request with encoding/json.
func jsonHandler(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"message": "Hello, World!"})
}

func plaintextHandler(c *gin.Context) {
	c.String(http.StatusOK, "Hello, World!")
}
