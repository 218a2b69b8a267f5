'use strict';
// TechEmpower's rules that every variant shares.

const WORLD_ROWS = 10000;
const MAX_QUERIES = 500;
const EXTRA_FORTUNE = { id: 0, message: 'Additional fortune added at request time.' };

// The queries parameter clamped to 1..500; missing, empty, 0, negative or not an integer -> 1.
function queryCount(text) {
  const n = /^-?[0-9]+$/.test(text || '') ? parseInt(text, 10) : 1;
  return Math.min(Math.max(n, 1), MAX_QUERIES);
}

const randomId = () => 1 + Math.floor(Math.random() * WORLD_ROWS);

// n distinct ids: no row is read or written twice in one request, so query counts are exactly n.
function randomIds(n) {
  const ids = new Set();
  while (ids.size < n) ids.add(randomId());
  return [...ids];
}

const byId = (a, b) => a.id - b.id;

// All fortunes plus the one added at request time, sorted by message (the SQL has no ORDER BY).
function withExtraFortune(rows) {
  const all = rows.concat([EXTRA_FORTUNE]);
  all.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return all;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

// The fortunes page; every message goes through escapeHtml (the <script> fortune must render as text).
function fortunesPage(rows) {
  let html = '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>';
  for (const f of rows) html += `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`;
  return html + '</table></body></html>';
}

module.exports = { queryCount, randomId, randomIds, byId, withExtraFortune, fortunesPage };
