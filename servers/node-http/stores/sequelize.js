'use strict';
// `sequelize`: Sequelize 6, a full ORM: model classes, instances with change tracking, a query generator that
// builds and escapes every statement per call, hooks and validation on save.
const { Sequelize, DataTypes } = require('sequelize');
const { byId, randomId } = require('../rules');

class SequelizeStore {
  constructor(dsn, poolSize) {
    this.poolSize = poolSize;
    this.sequelize = new Sequelize(dsn, {
      dialect: 'postgres',
      logging: false,
      pool: { min: poolSize, max: poolSize, idle: 2147483647, acquire: 60000, evict: 2147483647 },
    });
    const options = { sequelize: this.sequelize, timestamps: false, freezeTableName: true };
    this.World = this.sequelize.define('World', {
      id: { type: DataTypes.INTEGER, primaryKey: true },
      randomnumber: { type: DataTypes.INTEGER, allowNull: false },
    }, { ...options, tableName: 'world' });
    this.Fortune = this.sequelize.define('Fortune', {
      id: { type: DataTypes.INTEGER, primaryKey: true },
      message: { type: DataTypes.STRING(2048), allowNull: false },
    }, { ...options, tableName: 'fortune' });
  }

  // Opens every pooled connection before serving.
  async start() {
    const manager = this.sequelize.connectionManager;
    const conns = await Promise.all(Array.from({ length: this.poolSize }, () => manager.getConnection()));
    conns.forEach((c) => manager.releaseConnection(c));
  }

  stop() { return this.sequelize.close(); }

  async world(id) {
    const w = await this.World.findByPk(id);
    return { id: w.id, randomNumber: w.randomnumber };
  }

  async worlds(ids) {
    const result = [];
    for (const id of ids) {
      const w = await this.World.findByPk(id);
      result.push({ id: w.id, randomNumber: w.randomnumber });
    }
    return result;
  }

  async fortunes() {
    return (await this.Fortune.findAll()).map((f) => ({ id: f.id, message: f.message }));
  }

  // Loads the instances, sets each a new number and saves them in id order in one transaction.
  async updateWorlds(ids) {
    return this.sequelize.transaction(async (transaction) => {
      const worlds = [];
      for (const id of ids) worlds.push(await this.World.findByPk(id, { transaction }));
      worlds.sort(byId);
      for (const w of worlds) {
        w.randomnumber = randomId();
        // save() skips an instance whose value did not change (a new number equal to the old one, 1 in
        // 10,000): TechEmpower's strict count expects one UPDATE per row, so mark it changed.
        w.changed('randomnumber', true);
        await w.save({ transaction, fields: ['randomnumber'] });
      }
      return worlds.map((w) => ({ id: w.id, randomNumber: w.randomnumber }));
    });
  }
}

module.exports = { SequelizeStore };
