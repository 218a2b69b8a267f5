package main

import (
	"context"
	"database/sql"

	"benchgo/ent"
	entworld "benchgo/ent/world"
	"benchshared"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// entStore is the full-ORM rung: ent's generated client builds every statement per call from typed
// predicates, scans rows into entities through its generic scanner, and runs mutations through its hooks.
type entStore struct {
	db     *sql.DB
	client *ent.Client
}

func openEntStore(ctx context.Context, dsn string, poolSize int32) (*entStore, error) {
	db, err := openSQLDB(ctx, dsn, poolSize)
	if err != nil {
		return nil, err
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db)))
	return &entStore{db: db, client: client}, nil
}

func (s *entStore) Close() { s.client.Close() }

func (s *entStore) World(ctx context.Context, id int32) (benchshared.World, error) {
	w, err := s.client.World.Get(ctx, id)
	if err != nil {
		return benchshared.World{}, err
	}
	return benchshared.World{ID: w.ID, RandomNumber: w.Randomnumber}, nil
}

func (s *entStore) Worlds(ctx context.Context, ids []int32) ([]benchshared.World, error) {
	result := make([]benchshared.World, len(ids))
	for i, id := range ids {
		w, err := s.client.World.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		result[i] = benchshared.World{ID: w.ID, RandomNumber: w.Randomnumber}
	}
	return result, nil
}

func (s *entStore) Fortunes(ctx context.Context) ([]benchshared.Fortune, error) {
	rows, err := s.client.Fortune.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	result := make([]benchshared.Fortune, len(rows), len(rows)+1)
	for i, f := range rows {
		result[i] = benchshared.Fortune{ID: f.ID, Message: f.Message}
	}
	return result, nil
}

// UpdateWorlds loads the entities and writes each in id order in one transaction. The write is
// Update().Where(ID) rather than UpdateOne(w).Save: ent's UpdateOne reads the row back after its UPDATE (an
// extra SELECT per row, which TechEmpower's query count would flag), while the predicate form sends the
// UPDATE alone. ent has no dirty tracking: the UPDATE is sent even when the number did not change.
func (s *entStore) UpdateWorlds(ctx context.Context, ids []int32) ([]benchshared.World, error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	result := make([]benchshared.World, len(ids))
	for i, id := range ids {
		w, err := tx.World.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		result[i] = benchshared.World{ID: w.ID, RandomNumber: benchshared.RandomID()}
	}
	benchshared.SortByID(result)
	for _, w := range result {
		if err := tx.World.Update().Where(entworld.ID(w.ID)).SetRandomnumber(w.RandomNumber).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return result, tx.Commit()
}
