'use strict';
// TechEmpower's endpoints on node:http, with one of three data-access layers (Node's ORM ladder):
//   json       no database: /json and /plaintext only (the HTTP floor)
//   pg         node-postgres pool, hand-written SQL, named (prepared) statements
//   knex       the knex query builder on pg
//   sequelize  Sequelize 6 models and instances on pg
// BENCH_VARIANT selects the variant; it listens on $BENCH_HOST:$PORT (default 127.0.0.1) with $WORKERS processes
// (node:cluster, default 1). `node server.js --versions` prints the components' versions as JSON.
// Dependencies: npm packages pinned by package-lock.json, installed by ./build.sh (npm ci).
const cluster = require('node:cluster');
const http = require('node:http');
const { URL } = require('node:url');
const config = require('./config');
const rules = require('./rules');

function printVersions() {
  const out = { node: process.versions.node };  // node:http is part of Node: its version is Node's
  for (const name of ['pg', 'knex', 'sequelize']) {
    try {
      out[name] = require(`${name}/package.json`).version;
    } catch {
      // not installed (the json variant needs none)
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function makeStore(cfg) {
  switch (cfg.variant) {
    case 'pg': return new (require('./stores/pg').PgStore)(cfg.dsn, cfg.poolSize);
    case 'knex': return new (require('./stores/knex').KnexStore)(cfg.dsn, cfg.poolSize);
    case 'sequelize': return new (require('./stores/sequelize').SequelizeStore)(cfg.dsn, cfg.poolSize);
    default: return null;
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { Server: 'node', 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const JSON_TYPE = 'application/json';

function handler(store) {
  const routes = {
    '/json': async () => [JSON_TYPE, JSON.stringify({ message: 'Hello, World!' })],
    '/plaintext': async () => ['text/plain', 'Hello, World!'],
  };
  if (store) {
    routes['/db'] = async () => [JSON_TYPE, JSON.stringify(await store.world(rules.randomId()))];
    routes['/queries'] = async (url) =>
      [JSON_TYPE, JSON.stringify(await store.worlds(rules.randomIds(rules.queryCount(url.searchParams.get('queries')))))];
    routes['/updates'] = async (url) =>
      [JSON_TYPE, JSON.stringify(await store.updateWorlds(rules.randomIds(rules.queryCount(url.searchParams.get('queries')))))];
    routes['/fortunes'] = async () =>
      ['text/html; charset=utf-8', rules.fortunesPage(rules.withExtraFortune(await store.fortunes()))];
  }
  return (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const route = req.method === 'GET' ? routes[url.pathname] : undefined;
    if (!route) {
      send(res, 404, 'text/plain', 'not found');
      return;
    }
    route(url).then(([type, body]) => send(res, 200, type, body),
      (error) => send(res, 500, 'text/plain', `database error: ${error.message}`));
  };
}

async function serve(cfg) {
  const store = makeStore(cfg);
  if (store) await store.start();
  const server = http.createServer(handler(store));
  server.keepAliveTimeout = 0; // the load generator holds its connections for the whole run
  server.listen(cfg.port, cfg.host);
  await new Promise((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    Promise.resolve(store && store.stop()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function main() {
  if (process.argv.includes('--versions')) {
    printVersions();
    return;
  }
  let cfg;
  try {
    cfg = config.load();
  } catch (error) {
    if (!(error instanceof config.ConfigError)) throw error;
    process.stderr.write(`node server: ${error.message}\n`);
    process.exit(2);
  }
  if (cfg.workers > 1 && cluster.isPrimary) {
    // The primary only forks and relays SIGTERM; the workers share the listening socket.
    for (let i = 0; i < cfg.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code) => {
      if (!process.exitCode && code) process.exitCode = code;
      if (Object.keys(cluster.workers).length === 0) process.exit();
    });
    const stop = () => { for (const w of Object.values(cluster.workers)) w.kill('SIGTERM'); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  serve(cfg).catch((error) => {
    process.stderr.write(`node server: ${error.stack || error}\n`);
    process.exit(1);
  });
}

main();
