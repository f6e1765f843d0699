// What the benchmark (bench.mjs) and the ceiling measure (ceiling.mjs) share: China days, logins as a browser and
// a client do them, autocannon runs, and the floor.
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

export const PASSWORD = 'bench-pass-2026';
export const PIN = '123456';
export const pad = (n, w = 4) => String(n).padStart(w, '0');

/** Today in China, and a day n days before it. */
const chinaDay = (d = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);
export const today = chinaDay();
export const dayBefore = (n) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};

export async function login(base, username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return (await res.json()).token;
}

/** `name=value` of every cookie a response sets, in order (a login sets the device cookie and the session). */
const cookiesSet = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]);

/** A page session: the form login with its CSRF token, as a browser does; every cookie the browser would send back. */
export async function pageSession(base, path, form) {
  const page = await fetch(`${base}${path}`);
  const jar = new Map(cookiesSet(page).map((c) => [c.split('=')[0], c]));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  const res = await fetch(`${base}${path === '/villager' ? '/villager/login' : '/login'}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar.values()].join('; ') },
    body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
  });
  if (res.status !== 303) throw new Error(`page login ${JSON.stringify(form)}: ${res.status}`);
  for (const c of cookiesSet(res)) jar.set(c.split('=')[0], c);
  return [...jar.values()].join('; ');
}

/** autocannon over loopback; `extra.duration` in seconds. */
export function run(url, connections, requests, extra = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, requests, ...extra }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** `errors` are failed connections and time-outs; `non2xx` answers that came back refused or redirected. */
export const summary = (r) => ({
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  requests: r.requests.total,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx ?? 0,
});

// ---------------------------------------------------------------------------------------------------------------
// The floor: the same queries through better-sqlite3 from a plain node:http handler (SQLite only).

export function floorServer(file, households) {
  // Its own copy of the database: the floor's writes must not touch the books the server keeps.
  const copy = `${file}.floor`;
  const source = new Database(file);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(file, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  const q = {
    // What the server asks SQLite for a passbook, query for query (the village row and the village's stars it keeps):
    // who is asking (the session by its hash, or the staff member of a bearer token), the household, the entries, and
    // on the page the household's year for its stars.
    session: db.prepare('SELECT "userId", "householdId", "expiresAt" FROM login_session WHERE "idHash" = ?'),
    user: db.prepare(
      'SELECT id, username, "displayName", role, "townshipId", "villageId", "householdId", "tokenVersion", active FROM app_user WHERE id = ?',
    ),
    villager: db.prepare(
      'SELECT h.id, h.code, h."headName", h."pinVersion", v.id AS "villageId", v."townshipId", v.active FROM household h JOIN village v ON v.id = h."villageId" WHERE h.id = ?',
    ),
    household: db.prepare(
      'SELECT id, code, "villageId", "groupId", "headName", "memberCount", available, earned, status FROM household WHERE id = ?',
    ),
    entries: db.prepare(
      'SELECT id, amount, kind, "availableAfter", "earnedAfter", description, "occurredOn", "createdAt", "correctsEntryId" FROM ledger_entry WHERE "householdId" = ? ORDER BY id DESC LIMIT ? OFFSET 0',
    ),
    yearTotal: db.prepare('SELECT points FROM period_total WHERE "householdId" = ? AND period = ?'),
    ranking:
      db.prepare(`SELECT h.id, h.code, h."headName", g.name AS "groupName", COALESCE(t.points, 0) AS points FROM household h
      LEFT JOIN period_total t ON t."householdId" = h.id AND t.period = ? LEFT JOIN village_group g ON g.id = h."groupId"
      WHERE h."villageId" = ? AND (h.status = 'ACTIVE' OR t.points IS NOT NULL) ORDER BY points DESC, h.code ASC`),
    goods: db.prepare(
      'SELECT id, name, unit, "pricePoints", stock FROM goods WHERE "villageId" = ? AND active = 1 ORDER BY "pricePoints"',
    ),
    // The catalogue as the API gives it: a village's goods on the shelf, cheapest first, every column it shows.
    catalogue: db.prepare(
      'SELECT id, "villageId", name, unit, "pricePoints", stock, "lowStockThreshold", "monthlyLimit", active FROM goods WHERE "villageId" = ? AND active = 1 ORDER BY "pricePoints", id',
    ),
    overview:
      db.prepare(`SELECT v.id, v.name, (SELECT COUNT(*) FROM household h WHERE h."villageId" = v.id AND h.status = 'ACTIVE') AS households,
      (SELECT COALESCE(SUM(points), 0) FROM period_total t WHERE t."villageId" = v.id AND t.period = ?) AS earned,
      (SELECT COUNT(*) FROM score_record r WHERE r."villageId" = v.id AND r.status = 'PENDING') AS pending
      FROM village v WHERE v."townshipId" = ?`),
    spend: db.prepare('UPDATE household SET available = available - ? WHERE id = ? AND available >= ?'),
    stock: db.prepare('UPDATE goods SET stock = stock - ? WHERE id = ? AND stock >= ?'),
    record: db.prepare(
      `INSERT INTO score_record ("villageId", "householdId", "ruleId", "ruleVersionId", points, "occurredOn", status, "recordedBy", "createdAt") VALUES (?, ?, 2, 2, 10, ?, 'PENDING', ?, ?)`,
    ),
    entry:
      db.prepare(`INSERT INTO ledger_entry ("villageId", seq, "householdId", amount, kind, "availableAfter", "earnedAfter", description, "occurredOn", "createdAt", "prevHash", hash)
      SELECT ?, seq + 1, ?, ?, 'REDEMPTION', 0, 0, 'floor', ?, ?, head, ? FROM ledger_book WHERE "villageId" = ?`),
    seq: db.prepare('UPDATE ledger_book SET seq = seq + 1 WHERE "villageId" = ?'),
  };
  const month = today.slice(0, 7);
  const prevMonth = (() => {
    const [y, m] = month.split('-').map(Number);
    return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1, 2)}`;
  })();
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const ranked = (rows) => {
    let rank = 0;
    return rows.map((r, i) => {
      if (i === 0 || r.points !== rows[i - 1].points) rank = i + 1;
      return { ...r, rank };
    });
  };
  const server = createServer((req, res) => {
    const [, , what, id] = req.url.split('?')[0].split('/');
    const n = Number(id);
    if (what === 'passbook') {
      q.user.get(1);
      const household = q.household.get(n);
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ household, entries: q.entries.all(n, 501) }));
    }
    if (what === 'villager-passbook') {
      q.session.get(
        createHash('sha256')
          .update(req.headers.cookie ?? String(n))
          .digest('hex'),
      );
      q.villager.get(n);
      const h = q.household.get(n);
      // The passbook page shows 20 entries (PASSBOOK_PAGE) and asks for one more to know if there are older ones.
      const rows = q.entries
        .all(n, 21)
        .slice(0, 20)
        .map(
          (e) =>
            `<tr><td>${esc(e.createdAt.slice(0, 10))}</td><td>${esc(e.description)}</td><td>${e.amount}</td><td>${e.availableAfter}</td></tr>`,
        );
      const stars = q.yearTotal.get(n, today.slice(0, 4))?.points ?? 0;
      res.setHeader('content-type', 'text/html');
      return res.end(
        `<!doctype html><h1>${esc(h.headName)}</h1><p>${h.available} ${h.earned} ${stars}</p><table>${rows.join('')}</table>`,
      );
    }
    if (what === 'ranking') {
      const now = ranked(q.ranking.all(month, n));
      const before = new Map(ranked(q.ranking.all(prevMonth, n)).map((r) => [r.id, r.rank]));
      res.setHeader('content-type', 'text/html');
      return res.end(
        `<!doctype html><table>${now.map((r) => `<tr><td>${r.rank}</td><td>${esc(r.code)}</td><td>${esc(r.headName)}</td><td>${r.points}</td><td>${before.get(r.id) ?? ''}</td></tr>`).join('')}</table>`,
      );
    }
    if (what === 'board') {
      const goods = q.goods.all(n);
      const year = ranked(q.ranking.all(today.slice(0, 4), n)).filter((r) => r.points >= 50);
      res.setHeader('content-type', 'text/html');
      return res.end(
        `<!doctype html><ul>${year.map((r) => `<li>${esc(r.code)} ${esc(r.headName)}</li>`).join('')}</ul><table>${goods.map((g) => `<tr><td>${esc(g.name)}</td><td>${g.pricePoints}</td><td>${g.stock}</td></tr>`).join('')}</table>`,
      );
    }
    if (what === 'goods') {
      const items = q.catalogue
        .all(n)
        .map((g) => ({ ...g, active: g.active === 1, lowStock: g.stock <= g.lowStockThreshold }));
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ items }));
    }
    if (what === 'catalogue') {
      const goods = q.catalogue.all(n);
      res.setHeader('content-type', 'text/html');
      return res.end(
        `<!doctype html><table>${goods.map((g) => `<tr><td>${esc(g.name)}</td><td>${esc(g.unit)}</td><td>${g.pricePoints}</td><td>${g.stock}</td></tr>`).join('')}</table>`,
      );
    }
    if (what === 'township') {
      const rows = q.overview.all(month, n);
      res.setHeader('content-type', 'text/html');
      return res.end(
        `<!doctype html><table>${rows.map((r) => `<tr><td>${esc(r.name)}</td><td>${r.households}</td><td>${r.earned}</td><td>${r.pending}</td></tr>`).join('')}</table>`,
      );
    }
    if (what === 'record' && req.method === 'POST') {
      q.record.run(1, 1 + Math.floor(Math.random() * households), dayBefore(1), 3, new Date().toISOString());
      res.statusCode = 201;
      return res.end('{}');
    }
    if (what === 'redeem' && req.method === 'POST') {
      const h = 1 + Math.floor(Math.random() * households);
      // Refused as the server refuses it (409, nothing written) when the household has no points left: the small
      // county's households run out within seconds at the floor's rate.
      const spent = db.transaction(() => {
        if (q.spend.run(1, h, 1).changes !== 1) return false;
        q.stock.run(1, 1, 1);
        const at = new Date().toISOString();
        q.entry.run(
          1,
          h,
          -1,
          today,
          at,
          createHash('sha256')
            .update(at + h)
            .digest('hex'),
          1,
        );
        q.seq.run(1);
        return true;
      })();
      res.statusCode = spent ? 201 : 409;
      return res.end('{}');
    }
    res.statusCode = 404;
    res.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        base: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          server.close();
          db.close();
        },
      }),
    ),
  );
}
