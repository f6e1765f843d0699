/**
 * Each feature reads and writes only its own tables (issue 9, point 4; docs/ARCHITECTURE.md): another feature's rows
 * are asked of that feature's service. dependency-cruiser cannot see SQL, so `npm run lint` runs this check too.
 *
 * A table belongs to the folder of the entity that declares it (`@Entity('name')`). In every other source file under
 * src/ (not entities, specs or migrations; src/database and src/cli are the plumbing and the entry points), it finds
 * - SQL in string literals naming a table after FROM, JOIN, UPDATE or INTO, and
 * - TypeORM calls given an entity class or a table name (getRepository(X), find(X, …), from('x', …), innerJoin(X, …)…),
 *   and the database/ helpers given an entity (selectRow(manager, X, id), lockRow(manager, X, id)…),
 * and reports each table of another feature. The few parts that read across by design are in BY_DESIGN with the
 * reason; the reads not yet moved are listed in ALLOWED below, file by file: the
 * check fails on any read not listed, and on any listed read that is gone (so the list only shrinks).
 *
 *   node test/lint/feature-tables.mjs           check (exit 1 on a finding)
 *   node test/lint/feature-tables.mjs --list    print every file's foreign tables, as ALLOWED would list them
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Parts that read other features' tables by design, with the reason (docs/ARCHITECTURE.md). A path ending in `/` is
 * a folder.
 */
const BY_DESIGN = {
  'src/integrity/':
    "the invariant checker compares the features' books with each other straight from their tables: it must not " +
    'trust the services it checks',
  'src/access/scope.guard.ts':
    'the scope rule finds the village and township of whatever a route names, by its table (IN_VILLAGE): one ' +
    'generic place under every feature, which imports none',
  'src/ledger/ledger.service.ts':
    "a household's balances (available, earned) are columns of `household` that only the ledger writes, in the " +
    "same transaction as the entry; a village's book opens from its row. The second kind of account (a party " +
    "member's book, issue 22) lives in the ledger-owned `ledger_account`; moving households' balances there too " +
    'would end this exemption, at the price of a join on every passbook and ranking read',
};

/**
 * Known cross-feature reads, to be moved behind the owning feature's service (86 in 29 files when this check came; none
 * left since 2026-12-04). Remove a line when its read is gone.
 */
const ALLOWED = {};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');
const walk = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const files = walk(src).filter((f) => f.endsWith('.ts'));
const featureOf = (file) => path.relative(src, file).split(path.sep)[0];

/** table name → owning folder; entity class name → its table */
const tableOwner = new Map();
const classTable = new Map();
for (const file of files.filter((f) => f.endsWith('.entity.ts'))) {
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/@Entity\(\s*(?:'(\w+)')?[^)]*\)\s*(?:@[^\n]*\n\s*)*export class (\w+)/g)) {
    const table = m[1] ?? m[2].replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());
    tableOwner.set(table, featureOf(file));
    classTable.set(m[2], table);
  }
}

const SQL = /\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?/g;
const ORM =
  /\b(?:getRepository|createQueryBuilder|from|into|innerJoin|leftJoin|innerJoinAndSelect|leftJoinAndSelect|find|findOne|findBy|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|count|countBy|exists|existsBy|insert|update|save|delete|increment|decrement|upsert|sum|maximum|minimum|average|create|remove|preload)\(\s*(?:'(\w+)'|(\w+))\s*[,)]/g;
// database/raw.ts's helpers and database/locks.ts take the entity second: selectRow(manager, Township, id)
const HELPERS =
  /\b(?:selectRows?|insertRow|updateRow|updateRowIf|lockRow|holdRow)\(\s*[\w.]+\s*,\s*(\w+)\s*[,)]/g;
const skip = (rel) =>
  /\.(entity|spec)\.ts$/.test(rel) || /^src\/(database|cli)\//.test(rel) || rel.includes('/migrations/');

const found = {};
for (const file of files) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (skip(rel) || Object.keys(BY_DESIGN).some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p)))
    continue;
  const own = featureOf(file);
  const text = fs.readFileSync(file, 'utf8');
  const tables = new Set();
  for (const m of text.matchAll(SQL))
    if (tableOwner.has(m[1]) && tableOwner.get(m[1]) !== own) tables.add(m[1]);
  // A quoted name is a table ('household'); a bare one only counts as an entity class (Household), not a variable.
  for (const m of text.matchAll(ORM)) {
    const table = m[1] !== undefined ? (tableOwner.has(m[1]) ? m[1] : undefined) : classTable.get(m[2]);
    if (table && tableOwner.get(table) !== own) tables.add(table);
  }
  for (const m of text.matchAll(HELPERS)) {
    const table = classTable.get(m[1]);
    if (table && tableOwner.get(table) !== own) tables.add(table);
  }
  if (tables.size) found[rel] = [...tables].sort();
}

if (process.argv.includes('--list')) {
  for (const [rel, tables] of Object.entries(found).sort())
    console.log(`  '${rel}': [${tables.map((t) => `'${t}'`).join(', ')}],`);
  const pairs = Object.values(found).reduce((n, t) => n + t.length, 0);
  console.log(`${pairs} reads of another feature's table in ${Object.keys(found).length} files`);
  process.exit(0);
}

const problems = [];
for (const [rel, tables] of Object.entries(found)) {
  for (const t of tables) {
    if (!(ALLOWED[rel] ?? []).includes(t)) {
      problems.push(
        `${rel} reads ${t}, a table of ${tableOwner.get(t)}/: ask ${tableOwner.get(t)}'s service instead`,
      );
    }
  }
}
for (const [rel, tables] of Object.entries(ALLOWED)) {
  for (const t of tables) {
    if (!(found[rel] ?? []).includes(t)) {
      problems.push(`${rel} no longer reads ${t}: remove it from ALLOWED in test/lint/feature-tables.mjs`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const pairs = Object.values(ALLOWED).reduce((n, t) => n + t.length, 0);
console.log(
  `feature tables: ok (${pairs} known reads of another feature's table left, in ${Object.keys(ALLOWED).length} files)`,
);
