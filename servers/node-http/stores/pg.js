'use strict';
// `pg`: node-postgres pool, hand-written SQL as named statements (prepared once per connection by pg).
const { Pool } = require('pg');
const { byId, randomId } = require('../rules');

const SELECT_WORLD = 'SELECT id, randomnumber FROM world WHERE id = $1';
const SELECT_FORTUNES = 'SELECT id, message FROM fortune';
const UPDATE_WORLD = 'UPDATE world SET randomnumber = $2 WHERE id = $1';

const selectWorld = (id) => ({ name: 'world', text: SELECT_WORLD, values: [id] });
const row = (r) => ({ id: r.id, randomNumber: r.randomnumber });

class PgStore {
  constructor(dsn, poolSize) {
    this.poolSize = poolSize;
    this.pool = new Pool({ connectionString: dsn, max: poolSize, min: poolSize, idleTimeoutMillis: 0 });
  }

  // Opens every pooled connection before serving (pg opens lazily).
  async start() {
    const clients = await Promise.all(Array.from({ length: this.poolSize }, () => this.pool.connect()));
    clients.forEach((c) => c.release());
  }

  stop() { return this.pool.end(); }

  async world(id) {
    return row((await this.pool.query(selectWorld(id))).rows[0]);
  }

  // One query per id, in turn, on one pooled connection.
  async worlds(ids) {
    const client = await this.pool.connect();
    try {
      const result = [];
      for (const id of ids) result.push(row((await client.query(selectWorld(id))).rows[0]));
      return result;
    } finally {
      client.release();
    }
  }

  async fortunes() {
    return (await this.pool.query({ name: 'fortunes', text: SELECT_FORTUNES })).rows;
  }

  // Reads the rows, then one UPDATE per row in id order inside one transaction (no deadlocks between requests).
  async updateWorlds(ids) {
    const client = await this.pool.connect();
    try {
      const result = [];
      for (const id of ids) result.push({ id: row((await client.query(selectWorld(id))).rows[0]).id, randomNumber: randomId() });
      result.sort(byId);
      await client.query('BEGIN');
      try {
        for (const w of result) await client.query({ name: 'update', text: UPDATE_WORLD, values: [w.id, w.randomNumber] });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      return result;
    } finally {
      client.release();
    }
  }
}

module.exports = { PgStore };
