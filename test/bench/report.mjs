// `node test/bench/report.mjs` — the tables of docs/PERFORMANCE.md, in Markdown, from the results `npm run bench` left
// in test-results/ (bench-sqlite-full.json and, when it was run, bench-postgres-full.json).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results');
const size = process.argv.includes('--small') ? 'small' : 'full';
const load = (kind) => {
  const file = join(dir, `bench-${kind}-${size}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
};
const sqlite = load('sqlite');
const postgres = load('postgres');
if (!sqlite) throw new Error(`no ${join(dir, `bench-sqlite-${size}.json`)}: run npm run bench first`);

const n = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'));
const share = (r) => (r.floorRps ? `${Math.round((100 * r.rps) / r.floorRps)}%` : '');
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const loaded = (r) => r.connections !== undefined && r.rps !== undefined;
const find = (results, phase, path, connections) =>
  results.find((r) => r.phase === phase && r.path === path && r.connections === connections);

function reads(data) {
  const paths = [...new Set(data.results.filter((r) => r.phase === 'first' && loaded(r)).map((r) => r.path))];
  const rows = [];
  for (const path of paths)
    for (const c of [10, 50]) {
      const a = find(data.results, 'first', path, c) ?? {};
      const b = find(data.results, 'final', path, c) ?? {};
      rows.push([
        path,
        c,
        n(a.rps),
        n(a.p99),
        share(a),
        n(b.rps),
        n(b.p50),
        n(b.p99),
        n(b.floorRps),
        share(b),
      ]);
    }
  return table(
    [
      'path',
      'conns',
      '1 M req/s',
      '1 M p99 ms',
      '1 M share of floor',
      '5 M req/s',
      'p50 ms',
      'p99 ms',
      'floor req/s',
      'share of floor',
    ],
    rows,
  );
}

function writes(data) {
  const firstPaths = new Set(data.results.filter((r) => r.phase === 'first').map((r) => r.path));
  const rows = data.results
    .filter((r) => r.phase === 'final' && loaded(r) && !firstPaths.has(r.path))
    .map((r) => [
      r.path,
      r.connections,
      n(r.rps),
      n(r.p50),
      n(r.p99),
      n(r.errors + (r.non2xx ?? 0)),
      n(r.floorRps),
    ]);
  return table(
    ['write (5 M entries)', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors or not 2xx', 'floor req/s'],
    rows,
  );
}

function singles(data) {
  const pick = (phase, path) => data.results.find((r) => r.phase === phase && r.path === path) ?? {};
  return table(
    ['single measure', 'result'],
    [
      [
        'start-up on the full database',
        `${n(pick('final', 'start-up (ms)').ms)} ms (${n(pick('first', 'start-up (ms)').ms)} ms at 1 M)`,
      ],
      ['post a publication of 500 records', `${n(pick('final', 'post a publication of 500 records').ms)} ms`],
      ['import 10,000 households', `${n(pick('final', 'import 10,000 households').ms)} ms`],
      ['peak RSS of the server', `${n(pick('final', 'peak RSS of the server (MB)').rssMb)} MB`],
      [
        'invariant check after the writes',
        `${pick('final', 'invariant check after the writes').status ?? 'not run'}`,
      ],
    ],
  );
}

function beside() {
  const paths = [
    ...new Set(sqlite.results.filter((r) => r.phase === 'final' && loaded(r)).map((r) => r.path)),
  ];
  const rows = [];
  for (const path of paths)
    for (const c of [10, 50]) {
      const a = find(sqlite.results, 'final', path, c) ?? {};
      const b = find(postgres.results, 'final', path, c) ?? {};
      rows.push([path, c, n(a.rps), n(a.p99), n(b.rps), n(b.p99)]);
    }
  return table(
    ['path (5 M entries)', 'conns', 'SQLite req/s', 'SQLite p99 ms', 'PostgreSQL req/s', 'PostgreSQL p99 ms'],
    rows,
  );
}

console.log(`### SQLite: reads at 1 M and 5 M entries\n\n${reads(sqlite)}\n`);
console.log(`### SQLite: writes\n\n${writes(sqlite)}\n\n${singles(sqlite)}\n`);
if (postgres) {
  console.log(`### PostgreSQL beside SQLite\n\n${beside()}\n\n${singles(postgres)}\n`);
  console.log(`### PostgreSQL: reads at 1 M and 5 M entries\n\n${reads(postgres)}\n`);
}
