'use strict';
// `knex`: the knex query builder on the same driver (pg). Each call builds the statement and compiles it to SQL;
// knex sends it unnamed (parsed on every execution: knex has no prepared-statement cache).
const knexFactory = require('knex');
const { byId, randomId } = require('../rules');

const row = (r) => ({ id: r.id, randomNumber: r.randomnumber });

class KnexStore {
  constructor(dsn, poolSize) {
    this.poolSize = poolSize;
    this.db = knexFactory({
      client: 'pg',
      connection: dsn,
      pool: { min: poolSize, max: poolSize, idleTimeoutMillis: 2147483647 },
      acquireConnectionTimeout: 60000,
    });
  }

  // Opens every pooled connection before serving.
  async start() {
    const client = this.db.client;
    const conns = await Promise.all(Array.from({ length: this.poolSize }, () => client.acquireConnection()));
    await Promise.all(conns.map((c) => client.releaseConnection(c)));
  }

  stop() { return this.db.destroy(); }

  selectWorld(q, id) {
    return q('world').select('id', 'randomnumber').where('id', id).first();
  }

  async world(id) {
    return row(await this.selectWorld(this.db, id));
  }

  async worlds(ids) {
    const result = [];
    for (const id of ids) result.push(row(await this.selectWorld(this.db, id)));
    return result;
  }

  async fortunes() {
    return this.db('fortune').select('id', 'message');
  }

  // Reads and writes in one transaction; one UPDATE per row, in id order.
  async updateWorlds(ids) {
    return this.db.transaction(async (trx) => {
      const result = [];
      for (const id of ids) result.push({ id: row(await this.selectWorld(trx, id)).id, randomNumber: randomId() });
      result.sort(byId);
      for (const w of result) await trx('world').where('id', w.id).update({ randomnumber: w.randomNumber });
      return result;
    });
  }
}

module.exports = { KnexStore };
