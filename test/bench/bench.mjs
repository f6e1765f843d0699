// `npm run bench` — county scale: builds a synthetic county with a bulk path, starts the real server (production
// mode) on it, drives it over loopback with autocannon at 10 and 50 connections, and measures the same queries through
// better-sqlite3 in a plain node:http server (the floor). Not part of `npm test`.
//
//   npm run bench                       200 villages × 500 households, 5,000,000 entries (1,000,000 measured first)
//   npm run bench -- --small            20 villages × 100 households, 100,000 entries (20,000 measured first)
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench -- --small    the same on PostgreSQL
//   BENCH_DIR=/tmp/county npm run bench  keeps the built county there (on PostgreSQL: keeps vp_bench_full), and the
//                                        next run with the same BENCH_DIR (SQLite)
//                                        measures it again without building (the final phase only)
//   BENCH_ONLY='ranking|board'           measures only the paths whose names match
//   BENCH_PROFILE=/tmp/prof              the server writes a CPU profile there (node --cpu-prof)
//
// Results: printed, and written to test-results/bench-<sqlite|postgres>-<size>.json; `node test/bench/report.mjs`
// turns them into the tables of docs/PERFORMANCE.md.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  PASSWORD,
  PIN,
  dayBefore,
  floorServer,
  login,
  pad,
  pageSession,
  run,
  summary,
  today,
} from './load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { entryHash, GENESIS } = await import(join(root, 'dist/src/ledger/hash-chain.js'));
const { hashSecret } = await import(join(root, 'dist/src/auth/password.js'));

const small = process.argv.includes('--small');
const VILLAGES = small ? 20 : 200;
const HOUSEHOLDS = small ? 100 : 500;
const ENTRIES_PER_HOUSEHOLD = 50; // 5,000,000 over 100,000 households; 100,000 for --small
const FIRST_PHASE = 10; // entries per household measured first (1,000,000 at full size)
const VILLAGES_PER_TOWNSHIP = 20;
const DURATION = Number(process.env.BENCH_SECONDS ?? (small ? 4 : 10));
const WARM_UP = 2; // seconds of unmeasured requests before each path
// Records waiting for the approval benchmark: more than (warm-up + two measures) × the fastest approval rate seen.
const PENDING_RECORDS = 150000;
const pgUrl = process.env.BENCH_DATABASE_URL;
const kind = pgUrl ? 'postgres' : 'sqlite';
const keepDir = process.env.BENCH_DIR;
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
const wanted = (name) => !only || only.test(name);
const profileDir = process.env.BENCH_PROFILE;

const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const periodsOf = (day) => [
  day.slice(0, 7),
  `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`,
  day.slice(0, 4),
];

// A small deterministic PRNG, so two runs build the same county.
let seed = 20261122;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '秀英桂兰建国志明春花德福玉梅大山国强海生兰芝永利淑芬长青小红'.match(/../g);

// ---------------------------------------------------------------------------------------------------------------
// The database: the real server creates the schema (its migrations), then rows go in through a bulk path.

const pgName = `vp_bench_${small ? 'small' : 'full'}`;

/** On PostgreSQL's own `postgres` database: creating and dropping the bench's database. */
async function onPostgresAdmin(sql) {
  const u = new URL(pgUrl);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  for (const statement of sql) await admin.query(statement);
  await admin.end();
}

async function freshDatabase(dir) {
  if (!pgUrl) return `sqlite:${join(dir, 'bench.db')}`;
  await onPostgresAdmin([`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`, `CREATE DATABASE ${pgName}`]);
  const base = new URL(pgUrl);
  base.pathname = `/${pgName}`;
  return base.toString();
}

function startServer(databaseUrl, dir, port) {
  const started = Date.now();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, join(root, 'dist/src/main.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SEED: 'none',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
      PUBLICATION_MIN_DAYS: '0',
      SESSION_SECRET: 'b'.repeat(64),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (;;) {
      if (child.exitCode !== null) throw new Error('the server exited');
      const ok = await fetch(`${base}/login`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    child,
    base,
    ready,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

/** Rows in batches: better-sqlite3 prepared statements in one transaction, or multi-row INSERTs on PostgreSQL. */
function writer(databaseUrl) {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice(7));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    const statements = new Map();
    return {
      db,
      async insert(table, columns, rows) {
        const key = `${table}|${columns.join(',')}`;
        if (!statements.has(key))
          statements.set(
            key,
            db.prepare(
              `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES (${columns.map(() => '?').join(',')})`,
            ),
          );
        const stmt = statements.get(key);
        db.transaction(() => {
          for (const r of rows) stmt.run(...r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
        })();
      },
      async exec(sql) {
        db.exec(sql);
      },
      async close() {
        db.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const types = new Map();
  return {
    // One INSERT … SELECT FROM unnest(arrays) per 20,000 rows: a column per array, typed as the table has it.
    async insert(table, columns, rows) {
      if (!types.has(table)) {
        const { rows: cols } = await pool.query(
          'SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = $1',
          [table],
        );
        types.set(table, new Map(cols.map((c) => [c.column_name, c.udt_name.replace(/^_/, '')])));
      }
      const of = types.get(table);
      for (let i = 0; i < rows.length; i += 20000) {
        const chunk = rows.slice(i, i + 20000);
        await pool.query(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) SELECT * FROM unnest(${columns
            .map((c, k) => `$${k + 1}::${of.get(c) ?? 'text'}[]`)
            .join(', ')})`,
          columns.map((_, k) => chunk.map((r) => r[k])),
        );
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      for (const t of [
        'township',
        'village',
        'village_group',
        'app_user',
        'household',
        'scoring_rule',
        'scoring_rule_version',
        'score_record',
        'ledger_entry',
        'goods',
        'stock_movement',
        'period_total',
      ])
        await pool.query(
          `SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), COALESCE((SELECT MAX(id) FROM "${t}"), 1))`,
        );
      // What autovacuum would do in the next minutes after a bulk load: statistics for the planner and a visibility
      // map for index-only scans. Measured without it, the server competes with autovacuum and plans on empty tables.
      await pool.query('VACUUM (ANALYZE)');
      await pool.end();
    },
  };
}

/** The county: townships, villages with groups, staff, households, rules, goods, and the first entries of each book. */
async function buildCounty(w) {
  const passwordHash = await hashSecret(PASSWORD);
  const pinHash = await hashSecret(PIN);
  const townships = Math.ceil(VILLAGES / VILLAGES_PER_TOWNSHIP);
  await w.insert(
    'township',
    ['id', 'name', 'code'],
    Array.from({ length: townships }, (_, i) => [i + 1, `第${i + 1}镇`, `T${pad(i + 1, 3)}`]),
  );
  await w.insert(
    'village',
    ['id', 'townshipId', 'name', 'code', 'householdSeq'],
    Array.from({ length: VILLAGES }, (_, i) => [
      i + 1,
      Math.floor(i / VILLAGES_PER_TOWNSHIP) + 1,
      `第${i + 1}村`,
      `V${pad(i + 1, 3)}`,
      HOUSEHOLDS,
    ]),
  );
  const groups = [];
  for (let v = 1; v <= VILLAGES; v++)
    for (let g = 0; g < 4; g++) groups.push([(v - 1) * 4 + g + 1, v, `第${g + 1}组`, g + 1]);
  await w.insert('village_group', ['id', 'villageId', 'name', 'sortOrder'], groups);
  const users = [];
  let userId = 1; // the admin made by the server
  const staff = { township: [], admin: [], scorer: [], clerk: [] };
  for (let t = 1; t <= townships; t++) {
    users.push([++userId, `tw${t}`, passwordHash, `乡镇${t}`, 'TOWNSHIP', t, null]);
    staff.township[t] = `tw${t}`;
  }
  for (let v = 1; v <= VILLAGES; v++) {
    const t = Math.floor((v - 1) / VILLAGES_PER_TOWNSHIP) + 1;
    for (const [role, key] of [
      ['VILLAGE_ADMIN', 'admin'],
      ['SCORER', 'scorer'],
      ['CLERK', 'clerk'],
    ]) {
      users.push([++userId, `${key}${v}`, passwordHash, `${key}${v}`, role, t, v]);
      staff[key][v] = { id: userId, username: `${key}${v}` };
    }
  }
  await w.insert(
    'app_user',
    ['id', 'username', 'passwordHash', 'displayName', 'role', 'townshipId', 'villageId'],
    users,
  );
  const households = [];
  for (let v = 1; v <= VILLAGES; v++)
    for (let h = 1; h <= HOUSEHOLDS; h++) {
      const id = (v - 1) * HOUSEHOLDS + h;
      households.push([
        id,
        v,
        (v - 1) * 4 + ((h - 1) % 4) + 1,
        `V${pad(v, 3)}-${pad(h)}`,
        SURNAMES[id % SURNAMES.length] + GIVEN[(id * 7) % GIVEN.length],
        1 + (id % 6),
        pinHash,
      ]);
    }
  await w.insert(
    'household',
    ['id', 'villageId', 'groupId', 'code', 'headName', 'memberCount', 'pinHash'],
    households,
  );
  const rules = [];
  const versions = [];
  for (let v = 1; v <= VILLAGES; v++)
    [
      ['ZZ-01', '自治', '参加村民代表会议', 5, 5],
      ['DZ-01', '德治', '志愿服务', 10, 20],
      ['DZ-02', '德治', '孝老爱亲', 15, 15],
      ['FZ-01', '法治', '乱扔垃圾', -5, -5],
    ].forEach(([code, cat, title, min, max], i) => {
      const id = (v - 1) * 4 + i + 1;
      rules.push([id, v, code, cat, title, min, max]);
      versions.push([id, id, 1, title, min, max]);
    });
  await w.insert(
    'scoring_rule',
    ['id', 'villageId', 'code', 'category', 'title', 'minPoints', 'maxPoints'],
    rules,
  );
  await w.insert(
    'scoring_rule_version',
    ['id', 'ruleId', 'version', 'title', 'minPoints', 'maxPoints'],
    versions,
  );
  const goods = [];
  const movements = [];
  const now = new Date().toISOString();
  for (let v = 1; v <= VILLAGES; v++)
    ['香皂', '牙膏', '洗衣粉', '毛巾', '食用油'].forEach((name, i) => {
      const id = (v - 1) * 5 + i + 1;
      goods.push([id, v, name, '件', 1 + i * 5, 1_000_000_000, 10]);
      movements.push([id, v, id, 1_000_000_000, 'INITIAL', 1_000_000_000, today, now]);
    });
  await w.insert(
    'goods',
    ['id', 'villageId', 'name', 'unit', 'pricePoints', 'stock', 'lowStockThreshold'],
    goods,
  );
  await w.insert(
    'stock_movement',
    ['id', 'villageId', 'goodsId', 'quantity', 'kind', 'stockAfter', 'occurredOn', 'createdAt'],
    movements,
  );
  return { staff, townships, lastUserId: userId };
}

/**
 * Appends `count` entries to every household's passbook, oldest first per village so each book's hash chain runs on;
 * keeps balances, the village chain heads and the per-period totals as the server would.
 */
async function appendEntries(w, state, count, fromDaysAgo, toDaysAgo) {
  const started = Date.now();
  for (let v = 1; v <= VILLAGES; v++) {
    const book = state.books[v] ?? { seq: 0, head: GENESIS };
    const rows = [];
    const records = [];
    const periodRows = new Map();
    const perDay = (HOUSEHOLDS * count) / Math.max(1, fromDaysAgo - toDaysAgo);
    for (let k = 0; k < HOUSEHOLDS * count; k++) {
      const h = (v - 1) * HOUSEHOLDS + (k % HOUSEHOLDS) + 1;
      const day = dayBefore(Math.round(fromDaysAgo - k / perDay));
      const deduction = rand() < 0.1;
      const amount = deduction ? -5 : [5, 10, 15, 20][Math.floor(rand() * 4)];
      const bal = state.balances[h] ?? { available: 0, earned: 0 };
      bal.available += amount;
      bal.earned += amount;
      state.balances[h] = bal;
      // Every SCORE entry posts a score record (the invariant checker holds them to one another): the record, POSTED.
      const recordId = state.nextRecordId++;
      const ruleId = (v - 1) * 4 + (deduction ? 4 : 2);
      records.push([
        recordId,
        v,
        h,
        ruleId,
        ruleId,
        amount,
        day,
        'POSTED',
        state.scorers[v],
        `${day}T02:00:00.000Z`,
      ]);
      book.seq += 1;
      const fields = {
        villageId: v,
        seq: book.seq,
        householdId: h,
        amount,
        kind: 'SCORE',
        refType: 'score_record',
        refId: recordId,
        correctsEntryId: null,
        availableAfter: bal.available,
        earnedAfter: bal.earned,
        description: deduction ? 'FZ-01 乱扔垃圾' : 'DZ-01 志愿服务',
        occurredOn: day,
        createdBy: null,
        createdAt: `${day}T02:00:00.000Z`,
      };
      const hash = entryHash(book.head, fields);
      rows.push([
        state.nextEntryId++,
        v,
        book.seq,
        h,
        amount,
        'SCORE',
        'score_record',
        recordId,
        null,
        bal.available,
        bal.earned,
        fields.description,
        day,
        null,
        fields.createdAt,
        book.head,
        hash,
      ]);
      book.head = hash;
      for (const p of periodsOf(day))
        periodRows.set(`${h}|${p}`, (periodRows.get(`${h}|${p}`) ?? 0) + amount);
    }
    state.books[v] = book;
    await w.insert('score_record', RECORD_COLUMNS, records);
    await w.insert(
      'ledger_entry',
      [
        'id',
        'villageId',
        'seq',
        'householdId',
        'amount',
        'kind',
        'refType',
        'refId',
        'correctsEntryId',
        'availableAfter',
        'earnedAfter',
        'description',
        'occurredOn',
        'createdBy',
        'createdAt',
        'prevHash',
        'hash',
      ],
      rows,
    );
    for (const [key, points] of periodRows) {
      const [h, p] = key.split('|');
      state.periods.set(key, (state.periods.get(key) ?? 0) + points);
      state.periodVillage.set(key, v);
      void h;
      void p;
    }
  }
  // Balances, chain heads and period totals written once at the end (the server reads them).
  if (w.db) {
    const setBal = w.db.prepare('UPDATE household SET available = ?, earned = ? WHERE id = ?');
    const setHead = w.db.prepare(
      'INSERT INTO ledger_book ("villageId", seq, head) VALUES (?, ?, ?) ON CONFLICT ("villageId") DO UPDATE SET seq = excluded.seq, head = excluded.head',
    );
    w.db.transaction(() => {
      for (const [h, b] of Object.entries(state.balances)) setBal.run(b.available, b.earned, Number(h));
      for (const [v, b] of Object.entries(state.books)) setHead.run(Number(v), b.seq, b.head);
    })();
    w.db.exec('DELETE FROM period_total');
  } else {
    await w.exec('CREATE TABLE IF NOT EXISTS bench_balance (id int, available int, earned int)');
    await w.exec('TRUNCATE bench_balance');
    await w.insert(
      'bench_balance',
      ['id', 'available', 'earned'],
      Object.entries(state.balances).map(([h, b]) => [Number(h), b.available, b.earned]),
    );
    await w.exec(
      'UPDATE household h SET available = b.available, earned = b.earned FROM bench_balance b WHERE b.id = h.id',
    );
    await w.exec('DROP TABLE bench_balance');
    for (const [v, b] of Object.entries(state.books))
      await w.exec(
        `INSERT INTO ledger_book ("villageId", seq, head) VALUES (${v}, ${b.seq}, '${b.head}')
          ON CONFLICT ("villageId") DO UPDATE SET seq = excluded.seq, head = excluded.head`,
      );
    await w.exec('DELETE FROM period_total');
  }
  await w.insert(
    'period_total',
    ['villageId', 'householdId', 'period', 'points'],
    [...state.periods].map(([key, points]) => {
      const [h, p] = key.split('|');
      return [state.periodVillage.get(key), Number(h), p, points];
    }),
  );
  log(
    `${(VILLAGES * HOUSEHOLDS * count).toLocaleString()} entries appended in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

const RECORD_COLUMNS = [
  'id',
  'villageId',
  'householdId',
  'ruleId',
  'ruleVersionId',
  'points',
  'occurredOn',
  'status',
  'recordedBy',
  'createdAt',
];

/** Work waiting for the write benchmarks: pending records to approve, and 500 approved ones for one publication. */
async function queueWork(w, state, staff) {
  const pending = [];
  // The publication's 500 first: approvals that outrun the queue go on into the records the recording benchmark made
  // (village 1, pending), never into another village's approved records (refused, and counted as errors).
  for (let i = 0; i < 500; i++)
    pending.push([
      state.nextRecordId++,
      2,
      HOUSEHOLDS + 1 + (i % HOUSEHOLDS),
      6,
      6,
      10,
      dayBefore(1),
      'APPROVED',
      staff.scorer[2].id,
      `${today}T00:00:00.000Z`,
    ]);
  const first = state.nextRecordId;
  for (let i = 0; i < PENDING_RECORDS; i++)
    pending.push([
      state.nextRecordId++,
      1,
      1 + (i % HOUSEHOLDS),
      2,
      2,
      10,
      dayBefore(1),
      'PENDING',
      staff.scorer[1].id,
      `${today}T00:00:00.000Z`,
    ]);
  await w.insert('score_record', RECORD_COLUMNS, pending);
  return { firstPending: first, pendingCount: PENDING_RECORDS };
}

// ---------------------------------------------------------------------------------------------------------------
// Load.

/** The server's resident memory now (VmRSS) or at its highest so far (VmHWM), in MB. */
function rss(pid, field = 'VmRSS') {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]) / 1024);
  } catch {
    return null;
  }
}
const currentRss = (pid) => rss(pid);
const peakRss = (pid) => rss(pid, 'VmHWM');

// ---------------------------------------------------------------------------------------------------------------

async function measure(base, pid, staff, state, label, floor) {
  const month = today.slice(0, 7);
  const villagerCookies = [];
  for (let h = 1; h <= 20; h++)
    villagerCookies.push(await pageSession(base, '/villager', { householdCode: `V001-${pad(h)}`, pin: PIN }));
  const committeeCookie = await pageSession(base, '/login', {
    username: staff.admin[1].username,
    password: PASSWORD,
  });
  const townshipCookie = await pageSession(base, '/login', { username: 'tw1', password: PASSWORD });
  const clerkToken = await login(base, staff.clerk[1].username);
  const scorerToken = await login(base, staff.scorer[1].username);
  const adminToken = await login(base, staff.admin[1].username);
  let k = 0;
  const rotate = (items) => items[k++ % items.length];
  const paths = [
    {
      name: 'villager passbook page',
      request: () => ({ path: '/villager/passbook', headers: { cookie: rotate(villagerCookies) } }),
      floorRequest: () => ({ path: `/floor/villager-passbook/${1 + (k++ % 20)}` }),
    },
    {
      name: 'monthly ranking page (500 households)',
      request: () => ({
        path: `/rankings?villageId=1&period=${month}`,
        headers: { cookie: committeeCookie },
      }),
      floorRequest: () => ({ path: '/floor/ranking/1' }),
    },
    {
      name: 'public board',
      request: () => ({ path: '/public/villages/1' }),
      floorRequest: () => ({ path: '/floor/board/1' }),
    },
    {
      name: `township dashboard (${VILLAGES_PER_TOWNSHIP} villages)`,
      request: () => ({ path: `/township?period=${month}`, headers: { cookie: townshipCookie } }),
      floorRequest: () => ({ path: '/floor/township/1' }),
    },
    {
      name: 'GET /api/v1/households/:id/passbook',
      request: () => ({
        path: `/api/v1/households/${1 + (k++ % HOUSEHOLDS)}/passbook`,
        headers: { authorization: `Bearer ${adminToken}` },
      }),
      floorRequest: () => ({ path: `/floor/passbook/${1 + (k++ % HOUSEHOLDS)}` }),
    },
    {
      name: 'GET /api/v1/goods (catalogue)',
      request: () => ({ path: `/api/v1/goods?villageId=${1 + (k++ % VILLAGES)}` }),
      floorRequest: () => ({ path: `/floor/goods/${1 + (k++ % VILLAGES)}` }),
    },
    {
      name: 'public board, catalogue section',
      request: () => ({ path: `/public/villages/${1 + (k++ % VILLAGES)}?section=catalogue` }),
      floorRequest: () => ({ path: `/floor/catalogue/${1 + (k++ % VILLAGES)}` }),
    },
    {
      // What any page costs here before it reads anything: the framework's share of every page above. No floor of its
      // own; compare it with the passbook page's floor (docs/PERFORMANCE.md).
      name: 'lightest page, no database (GET /login)',
      request: () => ({ path: '/login' }),
    },
  ];
  const results = [];
  /**
   * A path whose answers are mostly refusals or redirects measures the refusal, not the path: the run stops there,
   * with what one such request answers.
   */
  const refusedMostly = async (name, r, makeRequest) => {
    if (r.non2xx * 2 <= r.requests) return;
    const { path, ...init } = makeRequest();
    const answer = await fetch(`${base}${path}`, { ...init, redirect: 'manual' });
    const why = `${answer.status}${answer.headers.get('location') ? ` → ${answer.headers.get('location')}` : ''} ${(await answer.text()).slice(0, 200)}`;
    throw new Error(`${label} ${name}: ${r.non2xx} of ${r.requests} answers were not 2xx (${path}: ${why})`);
  };
  /**
   * One path: two seconds of warm-up (a running server has compiled its hot code and filled its caches), then 10 and
   * 50 connections, and at 10 the floor's same query, warmed the same way.
   */
  const measurePath = async ({ name, request, floorRequest }) => {
    const requests = [{ setupRequest: (req) => ({ ...req, ...request() }) }];
    await run(base, 10, requests, { duration: WARM_UP });
    for (const connections of [10, 50]) {
      const r = summary(await run(base, connections, requests, { duration: DURATION }));
      await refusedMostly(name, r, request);
      let floorR = null;
      if (floor && floorRequest && connections === 10) {
        const floorRequests = [{ setupRequest: (req) => ({ ...req, ...floorRequest() }) }];
        await run(floor.base, 10, floorRequests, { duration: WARM_UP });
        floorR = summary(await run(floor.base, 10, floorRequests, { duration: DURATION }));
      }
      results.push({
        phase: label,
        path: name,
        connections,
        ...r,
        floorRps: floorR?.rps ?? null,
        ratio: floorR ? +(r.rps / floorR.rps).toFixed(2) : null,
        rssMb: currentRss(pid),
      });
      log(
        `${label} ${name} @${connections}: ${r.rps} req/s p50 ${r.p50} ms p99 ${r.p99} ms errors ${r.errors} non-2xx ${r.non2xx} rss ${currentRss(pid)} MB${floorR ? ` (floor ${floorR.rps} req/s, ${((100 * r.rps) / floorR.rps).toFixed(0)}%${floorR.errors + floorR.non2xx ? `, ${floorR.errors + floorR.non2xx} refused` : ''})` : ''}`,
      );
    }
  };
  for (const p of paths.filter((p) => wanted(p.name))) await measurePath(p);
  if (label !== 'final') return results;
  // Writes: recording a score, approving one, a redemption.
  let pendingId = state.work.firstPending;
  const json = (method, path, token, body) => ({
    method,
    path,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const writes = [
    {
      name: 'record a score (POST /api/v1/score-records)',
      floorRequest: () => ({ method: 'POST', path: '/floor/record/1' }),
      request: () =>
        json('POST', '/api/v1/score-records', scorerToken, {
          householdId: 1 + (k++ % HOUSEHOLDS),
          ruleId: 2,
          occurredOn: dayBefore(1),
          points: 10,
          idempotencyKey: randomUUID(),
        }),
    },
    {
      name: 'approve a record (POST /api/v1/score-records/:id/approve)',
      request: () => json('POST', `/api/v1/score-records/${pendingId++}/approve`, adminToken, {}),
    },
    {
      name: 'redemption (POST /api/v1/redemptions)',
      floorRequest: () => ({ method: 'POST', path: '/floor/redeem/1' }),
      request: () =>
        json('POST', '/api/v1/redemptions', clerkToken, {
          householdId: 1 + (k++ % HOUSEHOLDS),
          items: [{ goodsId: 1, quantity: 1 }],
          idempotencyKey: randomUUID(),
        }),
    },
  ];
  for (const wr of writes.filter((wr) => wanted(wr.name))) await measurePath(wr);
  if (!wanted('publication import')) {
    results.push({ phase: label, path: 'peak RSS of the server (MB)', rssMb: peakRss(pid) });
    return results;
  }
  // One publication of 500 approved records, posted when it closes.
  const committee2 = await login(base, staff.admin[2].username);
  const open = await fetch(`${base}/api/v1/publications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${committee2}`, 'content-type': 'application/json' },
    body: JSON.stringify({ villageId: 2, days: 0 }),
  });
  const publication = await open.json();
  const t0 = Date.now();
  const closed = await fetch(`${base}/api/v1/publications/${publication.id}/close`, {
    method: 'POST',
    headers: { authorization: `Bearer ${committee2}` },
  });
  const closeMs = Date.now() - t0;
  const posted = (await closed.json()).postedRecordIds?.length ?? 0;
  results.push({
    phase: label,
    path: `post a publication of ${publication.recordIds?.length} records`,
    connections: 1,
    ms: closeMs,
    posted,
  });
  log(`publication of ${publication.recordIds?.length} records posted (${posted}) in ${closeMs} ms`);
  // Importing 10,000 households into a new village.
  const csv = [
    '户主姓名,家庭人口',
    ...Array.from(
      { length: 10000 },
      (_, i) => `${SURNAMES[i % 20]}${GIVEN[i % GIVEN.length]},${1 + (i % 5)}`,
    ),
  ].join('\n');
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'households.csv');
  const importer = await login(base, staff.admin[VILLAGES].username);
  const t1 = Date.now();
  const imported = await fetch(`${base}/api/v1/households/import?villageId=${VILLAGES}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${importer}` },
    body: form,
  });
  const importMs = Date.now() - t1;
  results.push({
    phase: label,
    path: 'import 10,000 households',
    connections: 1,
    ms: importMs,
    status: imported.status,
  });
  log(`import of 10,000 households: ${imported.status} in ${importMs} ms`);
  results.push({ phase: label, path: 'peak RSS of the server (MB)', rssMb: peakRss(pid) });
  return results;
}

/**
 * The invariant checker (`npm run ledger:verify`) on the database after the writes: every balance, per-period total,
 * chain, stock level and receipt recomputed. Concurrent writes that were fast but wrong would show here.
 */
async function verifyInvariants(databaseUrl, dir) {
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'dist/src/cli/verify.cli.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: 'b'.repeat(64),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const code = await new Promise((r) => child.once('exit', r));
  log(`invariant check after the writes (exit ${code}, ${Date.now() - started} ms):\n${output.trim()}`);
  return {
    phase: 'final',
    path: 'invariant check after the writes',
    ms: Date.now() - started,
    status: code === 0 ? 'ok' : `exit ${code}`,
  };
}

/** A county kept in BENCH_DIR by an earlier run: its staff, and fresh work queued for the write paths. */
async function reuseCounty(dir, databaseUrl) {
  const saved = JSON.parse(readFileSync(join(dir, 'county.json'), 'utf8'));
  const w = writer(databaseUrl);
  const next = w.db.prepare('SELECT MAX(id) AS id FROM score_record').get().id; // SQLite only
  const state = { nextRecordId: (next ?? 0) + 1 };
  state.work = await queueWork(w, state, saved.staff);
  await w.close();
  return { staff: saved.staff, state };
}

async function main() {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'vp-bench-'));
  mkdirSync(dir, { recursive: true });
  const reuse = keepDir && !pgUrl && existsSync(join(dir, 'county.json'));
  const databaseUrl = reuse ? `sqlite:${join(dir, 'bench.db')}` : await freshDatabase(dir);
  log(
    `${kind}, ${VILLAGES} villages × ${HOUSEHOLDS} households, ${(VILLAGES * HOUSEHOLDS * ENTRIES_PER_HOUSEHOLD).toLocaleString()} entries${reuse ? ` (kept in ${dir})` : ''}`,
  );
  const floorFile = pgUrl ? null : databaseUrl.slice(7);
  const results = [];
  let server;
  let floor;
  let county;
  let state;
  if (reuse) {
    const kept = await reuseCounty(dir, databaseUrl);
    county = { staff: kept.staff };
    state = kept.state;
  } else {
    server = startServer(databaseUrl, dir, 3900);
    await server.ready;
    await server.stop();
    const w = writer(databaseUrl);
    county = await buildCounty(w);
    state = {
      books: {},
      balances: {},
      periods: new Map(),
      periodVillage: new Map(),
      nextEntryId: 1,
      nextRecordId: 1,
      scorers: county.staff.scorer.map((s) => s?.id ?? null),
    };
    await appendEntries(w, state, FIRST_PHASE, 3 * 365, 2 * 365);
    state.work = await queueWork(w, state, county.staff);
    await w.close();
    floor = floorFile ? await floorServer(floorFile, HOUSEHOLDS) : null;
    server = startServer(databaseUrl, dir, 3901);
    results.push({ phase: 'first', path: 'start-up (ms)', ms: await server.ready });
    results.push(...(await measure(server.base, server.child.pid, county.staff, state, 'first', floor)));
    floor?.close();
    await server.stop();

    const w2 = writer(databaseUrl);
    await appendEntries(w2, state, ENTRIES_PER_HOUSEHOLD - FIRST_PHASE, 2 * 365, 0);
    await w2.close();
    if (keepDir && !pgUrl) writeFileSync(join(dir, 'county.json'), JSON.stringify({ staff: county.staff }));
  }
  floor = floorFile ? await floorServer(floorFile, HOUSEHOLDS) : null;
  server = startServer(databaseUrl, dir, 3902);
  results.push({ phase: 'final', path: 'start-up (ms)', ms: await server.ready });
  results.push(...(await measure(server.base, server.child.pid, county.staff, state, 'final', floor)));
  floor?.close();
  await server.stop();
  if (!only) results.push(await verifyInvariants(databaseUrl, dir)); // a BENCH_ONLY run is for profiling

  const out = join(root, 'test-results', `bench-${kind}-${small ? 'small' : 'full'}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        kind,
        small,
        villages: VILLAGES,
        households: VILLAGES * HOUSEHOLDS,
        entriesFirst: VILLAGES * HOUSEHOLDS * FIRST_PHASE,
        entriesFinal: VILLAGES * HOUSEHOLDS * ENTRIES_PER_HOUSEHOLD,
        duration: DURATION,
        results,
      },
      null,
      2,
    ),
  );
  console.table(results);
  log(`results in ${out}`);
  if (!keepDir) rmSync(dir, { recursive: true, force: true });
  if (pgUrl && !keepDir) await onPostgresAdmin([`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
