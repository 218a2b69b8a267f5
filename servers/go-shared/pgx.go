package benchshared

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v4"
	"github.com/jackc/pgx/v4/pgxpool"
)

// The statements, prepared once on every connection when it opens; queries name them, so each request
// sends only Bind/Execute.
const (
	selectWorld    = "selectWorld"
	selectFortunes = "selectFortunes"
	updateWorld    = "updateWorld"
)

var statements = map[string]string{
	selectWorld:    "SELECT id, randomnumber FROM world WHERE id = $1",
	selectFortunes: "SELECT id, message FROM fortune",
	updateWorld:    "UPDATE world SET randomnumber = $2 WHERE id = $1",
}

// PgxStore is a pgx pool of a fixed size, every connection opened at startup, on statements prepared once per
// connection: the raw rung of go-gin and go-nethttp.
type PgxStore struct {
	pool *pgxpool.Pool
}

// OpenPgxStore opens the pool with all poolSize connections.
func OpenPgxStore(ctx context.Context, dsn string, poolSize int32) (*PgxStore, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	// A bounded pool, larger than the load's connection count: a request never opens a connection and
	// never finds PostgreSQL out of slots (max_connections), it waits for a pooled one at worst.
	cfg.MaxConns = poolSize
	cfg.MinConns = poolSize
	cfg.AfterConnect = prepareStatements
	pool, err := pgxpool.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	if err := openAll(ctx, pool, poolSize); err != nil {
		pool.Close()
		return nil, err
	}
	return &PgxStore{pool: pool}, nil
}

func prepareStatements(ctx context.Context, conn *pgx.Conn) error {
	for name, sql := range statements {
		if _, err := conn.Prepare(ctx, name, sql); err != nil {
			return fmt.Errorf("preparing %s: %w", name, err)
		}
	}
	return nil
}

// openAll acquires every connection at once (and releases them), so the pool is full before serving.
func openAll(ctx context.Context, pool *pgxpool.Pool, n int32) error {
	conns := make([]*pgxpool.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Release()
		}
	}()
	for i := int32(0); i < n; i++ {
		c, err := pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("opening pooled connection %d of %d: %w", i+1, n, err)
		}
		conns = append(conns, c)
	}
	return nil
}

func (d *PgxStore) Close() { d.pool.Close() }

func (d *PgxStore) World(ctx context.Context, id int32) (World, error) {
	var w World
	err := d.pool.QueryRow(ctx, selectWorld, id).Scan(&w.ID, &w.RandomNumber)
	return w, err
}

// Worlds reads one row per id, one query each, on one pooled connection.
func (d *PgxStore) Worlds(ctx context.Context, ids []int32) ([]World, error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	return readWorlds(ctx, conn, ids)
}

// readWorlds reads one row per id, one query each, on conn.
func readWorlds(ctx context.Context, conn *pgxpool.Conn, ids []int32) ([]World, error) {
	result := make([]World, len(ids))
	for i, id := range ids {
		if err := conn.QueryRow(ctx, selectWorld, id).Scan(&result[i].ID, &result[i].RandomNumber); err != nil {
			return nil, err
		}
	}
	return result, nil
}

func (d *PgxStore) Fortunes(ctx context.Context) ([]Fortune, error) {
	rows, err := d.pool.Query(ctx, selectFortunes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	result := make([]Fortune, 0, 16)
	for rows.Next() {
		var f Fortune
		if err := rows.Scan(&f.ID, &f.Message); err != nil {
			return nil, err
		}
		result = append(result, f)
	}
	return result, rows.Err()
}

// UpdateWorlds reads each row, gives it a new random number and writes all of them in one batch (one
// round trip, one implicit transaction) in id order, so concurrent requests cannot deadlock.
func (d *PgxStore) UpdateWorlds(ctx context.Context, ids []int32) ([]World, error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	result, err := readWorlds(ctx, conn, ids)
	if err != nil {
		return nil, err
	}
	for i := range result {
		result[i].RandomNumber = RandomID()
	}
	SortByID(result)
	batch := &pgx.Batch{}
	for _, w := range result {
		batch.Queue(updateWorld, w.ID, w.RandomNumber)
	}
	return result, conn.SendBatch(ctx, batch).Close()
}
