package main

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v4/stdlib" // registers the "pgx" database/sql driver
)

// openSQLDB is a database/sql pool on pgx's driver, bounded to poolSize and with every connection opened
// before serving (database/sql opens lazily). pgx's driver caches a prepared statement per connection for each
// SQL text, so the sqlx and ent variants send Bind/Execute only, as the raw variant does.
func openSQLDB(ctx context.Context, dsn string, poolSize int32) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	db.SetMaxOpenConns(int(poolSize))
	db.SetMaxIdleConns(int(poolSize))
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	conns := make([]*sql.Conn, 0, poolSize)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool, still open
		}
	}()
	for i := int32(0); i < poolSize; i++ {
		c, err := db.Conn(ctx)
		if err == nil {
			err = c.PingContext(ctx)
		}
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("opening pooled connection %d of %d: %w", i+1, poolSize, err)
		}
		conns = append(conns, c)
	}
	return db, nil
}
