'use strict';
// What the harness passes through the environment (docs/servers.md lists every variable).

const VARIANTS = ['json', 'pg', 'knex', 'sequelize']; // ladder order: no database, driver, query builder, ORM
const DEFAULT_POOL_SIZE = 64; // the harness passes BENCH_DB_POOL_SIZE, above its largest connection level

class ConfigError extends Error {}

function positiveEnv(name, fallback) {
  const text = process.env[name] || '';
  if (text === '') return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) <= 0) throw new ConfigError(`${name}=${JSON.stringify(text)} must be a positive integer`);
  return Number(text);
}

// DATABASE_URL, or one built from libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE.
function databaseUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const host = process.env.PGHOST;
  if (!host) throw new ConfigError('DATABASE_URL (or PGHOST etc.) is required by every variant but json');
  const user = encodeURIComponent(process.env.PGUSER || 'postgres');
  const password = process.env.PGPASSWORD ? ':' + encodeURIComponent(process.env.PGPASSWORD) : '';
  const database = encodeURIComponent(process.env.PGDATABASE || 'hello_world');
  return `postgresql://${user}${password}@${host}:${process.env.PGPORT || '5432'}/${database}`;
}

function load() {
  const variant = process.env.BENCH_VARIANT || '';
  if (!VARIANTS.includes(variant)) {
    throw new ConfigError(`BENCH_VARIANT=${JSON.stringify(variant)} is not a variant of this server; expected one of ${VARIANTS.join(', ')}`);
  }
  return {
    variant,
    port: positiveEnv('PORT', 8080),
    host: process.env.BENCH_HOST || '127.0.0.1', // the address to listen on
    poolSize: positiveEnv('BENCH_DB_POOL_SIZE', DEFAULT_POOL_SIZE),
    workers: positiveEnv('WORKERS', 1), // node:cluster processes; each opens its own full pool
    dsn: variant === 'json' ? '' : databaseUrl(),
  };
}

module.exports = { load, ConfigError, VARIANTS };
