package benchshared

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// defaultPoolSize is used when BENCH_DB_POOL_SIZE is unset; the harness passes a size above its largest
// connection level.
const defaultPoolSize = 64

// Config is what the harness passes through the environment (docs/servers.md).
type Config struct {
	Variant  string // one of the server's variants; "json" has no database
	Port     int
	Host     string // the address to listen on: BENCH_HOST, default 127.0.0.1
	DSN      string // postgresql://user:password@host:port/dbname; empty for json
	PoolSize int32  // database connections, all opened at startup
}

// LoadConfig reads the environment of a server whose variants are `variants` (in ladder order, "json" first).
func LoadConfig(variants ...string) (Config, error) {
	cfg := Config{Variant: os.Getenv("BENCH_VARIANT")}
	if !contains(variants, cfg.Variant) {
		return cfg, fmt.Errorf("BENCH_VARIANT=%q is not a variant of this server; expected %s", cfg.Variant,
			oneOf(variants))
	}
	port, err := positiveEnv("PORT", 8080)
	if err != nil {
		return cfg, err
	}
	cfg.Port = port
	cfg.Host = envOr("BENCH_HOST", "127.0.0.1")
	pool, err := positiveEnv("BENCH_DB_POOL_SIZE", defaultPoolSize)
	if err != nil {
		return cfg, err
	}
	cfg.PoolSize = int32(pool)
	if cfg.Variant != "json" {
		if cfg.DSN, err = databaseURL(); err != nil {
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
		return "", fmt.Errorf("DATABASE_URL (or PGHOST etc.) is required by every variant but json")
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

func contains(list []string, name string) bool {
	for _, v := range list {
		if v == name {
			return true
		}
	}
	return false
}

// oneOf is "json or raw", "json, raw, sqlx or ent".
func oneOf(list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}
