package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
)

// defaultPoolSize is used when BENCH_DB_POOL_SIZE is unset; the harness passes a size above its largest
// connection level.
const defaultPoolSize = 64

// config is what the harness passes through the environment (docs/servers.md).
type config struct {
	variant  string // json or raw
	port     int
	host     string // the address to listen on: BENCH_HOST, default 127.0.0.1
	dsn      string // postgresql://user:password@host:port/dbname; empty for json
	poolSize int32  // database connections, all opened at startup
}

func loadConfig() (config, error) {
	cfg := config{variant: os.Getenv("BENCH_VARIANT")}
	if cfg.variant != "json" && cfg.variant != "raw" {
		return cfg, fmt.Errorf("BENCH_VARIANT=%q is not a variant of this server; expected json or raw", cfg.variant)
	}
	port, err := positiveEnv("PORT", 8080)
	if err != nil {
		return cfg, err
	}
	cfg.port = port
	cfg.host = envOr("BENCH_HOST", "127.0.0.1")
	pool, err := positiveEnv("BENCH_DB_POOL_SIZE", defaultPoolSize)
	if err != nil {
		return cfg, err
	}
	cfg.poolSize = int32(pool)
	if cfg.variant == "raw" {
		if cfg.dsn, err = databaseURL(); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

func positiveEnv(name string, fallback int) (int, error) {
	text := os.Getenv(name)
	if text == "" {
		return fallback, nil
	}
	value, err := strconv.Atoi(text)
	if err != nil || value <= 0 {
		return 0, fmt.Errorf("%s=%q must be a positive integer", name, text)
	}
	return value, nil
}

// databaseURL is DATABASE_URL, or one built from libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
func databaseURL() (string, error) {
	if dsn := os.Getenv("DATABASE_URL"); dsn != "" {
		return dsn, nil
	}
	host := os.Getenv("PGHOST")
	if host == "" {
		return "", fmt.Errorf("DATABASE_URL (or PGHOST etc.) is required by the raw variant")
	}
	u := url.URL{Scheme: "postgresql", Host: host + ":" + envOr("PGPORT", "5432"), Path: "/" + envOr("PGDATABASE", "hello_world")}
	if password := os.Getenv("PGPASSWORD"); password != "" {
		u.User = url.UserPassword(envOr("PGUSER", "postgres"), password)
	} else {
		u.User = url.User(envOr("PGUSER", "postgres"))
	}
	return u.String(), nil
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
