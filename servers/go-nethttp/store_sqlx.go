package main

import (
	"context"

	"benchshared"

	"github.com/jmoiron/sqlx"
)

// sqlxStore is the micro-ORM rung: hand-written SQL, rows mapped onto structs by sqlx's reflection (db tags).
type sqlxStore struct {
	db *sqlx.DB
}

type sqlxWorld struct {
	ID           int32 `db:"id"`
	RandomNumber int32 `db:"randomnumber"`
}

type sqlxFortune struct {
	ID      int32  `db:"id"`
	Message string `db:"message"`
}

func openSqlxStore(ctx context.Context, dsn string, poolSize int32) (*sqlxStore, error) {
	db, err := openSQLDB(ctx, dsn, poolSize)
	if err != nil {
		return nil, err
	}
	return &sqlxStore{db: sqlx.NewDb(db, "pgx")}, nil
}

func (s *sqlxStore) Close() { s.db.Close() }

const (
	sqlxSelectWorld    = "SELECT id, randomnumber FROM world WHERE id = $1"
	sqlxSelectFortunes = "SELECT id, message FROM fortune"
	sqlxUpdateWorld    = "UPDATE world SET randomnumber = $1 WHERE id = $2"
)

func (s *sqlxStore) World(ctx context.Context, id int32) (benchshared.World, error) {
	var w sqlxWorld
	err := s.db.GetContext(ctx, &w, sqlxSelectWorld, id)
	return benchshared.World(w), err
}

// Worlds reads one row per id on one pooled connection.
func (s *sqlxStore) Worlds(ctx context.Context, ids []int32) ([]benchshared.World, error) {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	result := make([]benchshared.World, len(ids))
	for i, id := range ids {
		var w sqlxWorld
		if err := conn.GetContext(ctx, &w, sqlxSelectWorld, id); err != nil {
			return nil, err
		}
		result[i] = benchshared.World(w)
	}
	return result, nil
}

func (s *sqlxStore) Fortunes(ctx context.Context) ([]benchshared.Fortune, error) {
	var rows []sqlxFortune
	if err := s.db.SelectContext(ctx, &rows, sqlxSelectFortunes); err != nil {
		return nil, err
	}
	result := make([]benchshared.Fortune, len(rows), len(rows)+1)
	for i, f := range rows {
		result[i] = benchshared.Fortune(f)
	}
	return result, nil
}

// UpdateWorlds reads the rows, then writes one UPDATE per row in id order inside one transaction (so
// concurrent requests cannot deadlock), each its own round trip: database/sql has no batch.
func (s *sqlxStore) UpdateWorlds(ctx context.Context, ids []int32) ([]benchshared.World, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	result := make([]benchshared.World, len(ids))
	for i, id := range ids {
		var w sqlxWorld
		if err := tx.GetContext(ctx, &w, sqlxSelectWorld, id); err != nil {
			return nil, err
		}
		result[i] = benchshared.World{ID: w.ID, RandomNumber: benchshared.RandomID()}
	}
	benchshared.SortByID(result)
	for _, w := range result {
		if _, err := tx.ExecContext(ctx, sqlxUpdateWorld, w.RandomNumber, w.ID); err != nil {
			return nil, err
		}
	}
	return result, tx.Commit()
}
