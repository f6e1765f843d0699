import fc from 'fast-check';
import type { Actor } from '../../src/access/actor.js';
import { staffActor } from '../../src/auth/auth.service.js';
import { DomainError } from '../../src/common/domain-error.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { PublicationsService } from '../../src/publications/publications.service.js';
import type { RecordStatus } from '../../src/scoring/score-record.entity.js';
import { ScoringService } from '../../src/scoring/scoring.service.js';
import { User } from '../../src/users/user.entity.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/** What the domain says should have happened: record statuses, open objections, posted points per household. */
interface Model {
  records: {
    id: number;
    household: number;
    points: number;
    status: RecordStatus;
    publication: number | null;
  }[];
  objections: { id: number; record: number; open: boolean }[];
  publications: Map<number, { open: boolean; ended: boolean }>;
  balances: Map<number, number>;
}

interface Real {
  t: TestApp;
  scorer: Actor;
  committee: Actor;
  villageId: number;
  households: number[];
  rules: { id: number; min: number; max: number }[];
}

/** Runs a service call; a refusal (DomainError) is a normal answer, anything else is a bug. */
async function attempt<T>(work: () => Promise<T>): Promise<T | DomainError> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

const live = (s: RecordStatus) => s === 'PUBLICIZING' || s === 'OBJECTED';

function postIfDue(m: Model, r: Model['records'][number]) {
  const pub = r.publication ? m.publications.get(r.publication) : undefined;
  if (r.status === 'PUBLICIZING' && pub && !pub.open) {
    r.status = 'POSTED';
    m.balances.set(r.household, (m.balances.get(r.household) ?? 0) + r.points);
  }
}

class RecordCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly h: number,
    readonly rule: number,
    readonly pick: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const rule = r.rules[this.rule];
    const points = rule.min + (this.pick % (rule.max - rule.min + 1));
    const { record } = await r.t.app.get(ScoringService).record(r.scorer, {
      householdId: r.households[this.h],
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      points,
    });
    m.records.push({
      id: record.id,
      household: r.households[this.h],
      points,
      status: 'PENDING',
      publication: null,
    });
  }
  toString = () => `record(h${this.h}, rule${this.rule})`;
}

class ReviewCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly approve: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.records.length > 0;
  async run(m: Model, r: Real) {
    const rec = m.records[this.index % m.records.length];
    const service = r.t.app.get(ScoringService);
    const result = await attempt(() =>
      this.approve ? service.approve(r.committee, rec.id) : service.reject(r.committee, rec.id, '不符合细则'),
    );
    const allowed = this.approve
      ? rec.status === 'PENDING'
      : rec.status === 'PENDING' || rec.status === 'APPROVED';
    expect(result instanceof DomainError ? 'refused' : 'done').toBe(allowed ? 'done' : 'refused');
    if (allowed) rec.status = this.approve ? 'APPROVED' : 'REJECTED';
  }
  toString = () => `${this.approve ? 'approve' : 'reject'}(#${this.index})`;
}

class PublishCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const waiting = m.records.filter((x) => x.status === 'APPROVED');
    const result = await attempt(() => r.t.app.get(PublicationsService).open(r.committee, r.villageId, 3));
    if (waiting.length === 0) return expect(result).toBeInstanceOf(DomainError);
    if (result instanceof DomainError) throw result;
    m.publications.set(result.id, { open: true, ended: false });
    for (const x of waiting) Object.assign(x, { status: 'PUBLICIZING', publication: result.id });
  }
  toString = () => 'publish';
}

class ObjectCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.records.length > 0;
  async run(m: Model, r: Real) {
    const rec = m.records[this.index % m.records.length];
    const pub = rec.publication ? m.publications.get(rec.publication) : undefined;
    // Every objection of the model is the scorer's: a second one while the first is open is refused.
    const mineOpen = m.objections.some((o) => o.record === rec.id && o.open);
    const allowed = live(rec.status) && !!pub && pub.open && !pub.ended && !mineOpen;
    const result = await attempt(() =>
      r.t.app.get(PublicationsService).object(r.scorer, rec.id, '有不同看法'),
    );
    expect(result instanceof DomainError ? 'refused' : 'done').toBe(allowed ? 'done' : 'refused');
    if (!allowed || result instanceof DomainError) return;
    rec.status = 'OBJECTED';
    m.objections.push({ id: result.id, record: rec.id, open: true });
  }
  toString = () => `object(#${this.index})`;
}

class ResolveCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly decision: 'DISMISS' | 'CORRECT' | 'REVOKE',
  ) {}
  check = (m: Readonly<Model>) => m.objections.length > 0;
  async run(m: Model, r: Real) {
    const obj = m.objections[this.index % m.objections.length];
    const rec = m.records.find((x) => x.id === obj.record)!;
    const rule = r.rules.find((x) => x.min <= rec.points && rec.points <= x.max)!;
    const points = this.decision === 'CORRECT' ? rule.min : undefined;
    const result = await attempt(() =>
      r.t.app
        .get(PublicationsService)
        .resolve(r.committee, obj.id, this.decision === 'DISMISS' ? 'DISMISS' : 'UPHOLD', points, '经核实'),
    );
    expect(result instanceof DomainError ? 'refused' : 'done').toBe(obj.open ? 'done' : 'refused');
    if (!obj.open) return;
    obj.open = false;
    if (this.decision === 'REVOKE') {
      rec.status = 'REVOKED';
      for (const o of m.objections.filter((o) => o.record === rec.id)) o.open = false;
      return;
    }
    if (points !== undefined) rec.points = points;
    if (!m.objections.some((o) => o.record === rec.id && o.open)) rec.status = 'PUBLICIZING';
    postIfDue(m, rec);
  }
  toString = () => `resolve(#${this.index}, ${this.decision})`;
}

/** The window of every open publication passes (the clock moves on). */
class TimePassesCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.t.dataSource.query(
      `UPDATE publication SET "endsOn" = '${daysAgo(1)}', "startsOn" = '${daysAgo(3)}' WHERE status = 'OPEN'`,
    );
    for (const p of m.publications.values()) if (p.open) p.ended = true;
  }
  toString = () => 'time passes';
}

class CloseCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.publications.size > 0;
  async run(m: Model, r: Real) {
    const ids = [...m.publications.keys()];
    const id = ids[this.index % ids.length];
    const pub = m.publications.get(id)!;
    const result = await attempt(() => r.t.app.get(PublicationsService).close(r.committee, id));
    const allowed = pub.open && pub.ended;
    expect(result instanceof DomainError ? 'refused' : 'done').toBe(allowed ? 'done' : 'refused');
    if (!allowed) return;
    pub.open = false;
    for (const rec of m.records.filter((x) => x.publication === id)) postIfDue(m, rec);
  }
  toString = () => `close(#${this.index})`;
}

/** After every step: statuses as the model says, balances equal to the posted points, the ledger clean. */
async function expectConsistent(m: Model, r: Real) {
  const statuses = await r.t.dataSource.query(
    `SELECT id, status, points FROM score_record WHERE id IN (${[0, ...m.records.map((x) => x.id)].join(',')}) ORDER BY id`,
  );
  expect(statuses).toEqual(m.records.map((x) => ({ id: x.id, status: x.status, points: x.points })));
  const balances = await r.t.dataSource.query(
    `SELECT id, available, earned FROM household WHERE id IN (${r.households.join(',')}) ORDER BY id`,
  );
  expect(balances).toEqual(
    r.households.map((id) => ({ id, available: m.balances.get(id) ?? 0, earned: m.balances.get(id) ?? 0 })),
  );
  const report = await r.t.app.get(LedgerService).verify([r.villageId]);
  expect(report.mismatches).toEqual([]);
}

describe('the scoring path under random sequences of actions (property)', () => {
  let t: TestApp;
  let real: Omit<Real, 'households'>;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    const scene = await createScoringScene(t);
    const committeeToken = await scene.villageAdmin.token();
    const user = (id: number) => t.dataSource.getRepository(User).findOneByOrFail({ id });
    const rules = [
      await createTestRule(t, committeeToken, scene.village.id, { points: 15 }),
      await createTestRule(t, committeeToken, scene.village.id, {
        points: undefined,
        minPoints: 5,
        maxPoints: 20,
      }),
      await createTestRule(t, committeeToken, scene.village.id, { points: -20 }),
    ];
    real = {
      t,
      scorer: staffActor(await user(scene.scorer.id), null),
      committee: staffActor(await user(scene.villageAdmin.id), null),
      villageId: scene.village.id,
      rules: rules.map((x) => ({ id: x.id, min: x.minPoints, max: x.maxPoints })),
    };
  });
  afterAll(() => t.close());

  it('should keep balances equal to the entries, the chain valid and every status as the model predicts after every step', async () => {
    const checked = (cmd: fc.AsyncCommand<Model, Real>): fc.AsyncCommand<Model, Real> => ({
      check: (m) => cmd.check(m),
      run: async (m, r) => {
        await cmd.run(m, r);
        await expectConsistent(m, r);
      },
      toString: () => cmd.toString(),
    });
    const commands = [
      fc.tuple(fc.nat(1), fc.nat(2), fc.nat(30)).map(([h, rule, pick]) => new RecordCmd(h, rule, pick)),
      fc
        .tuple(fc.nat(20), fc.constantFrom(true, true, true, false))
        .map(([i, approve]) => new ReviewCmd(i, approve)),
      fc.tuple(fc.nat(20), fc.constant(true)).map(([i, approve]) => new ReviewCmd(i, approve)),
      fc.constant(new PublishCmd()),
      fc.nat(20).map((i) => new ObjectCmd(i)),
      fc
        .tuple(fc.nat(20), fc.constantFrom('DISMISS' as const, 'CORRECT' as const, 'REVOKE' as const))
        .map(([i, d]) => new ResolveCmd(i, d)),
      fc
        .tuple(fc.nat(20), fc.constantFrom('DISMISS' as const, 'CORRECT' as const, 'REVOKE' as const))
        .map(([i, d]) => new ResolveCmd(i, d)),
      fc.constant(new TimePassesCmd()),
      fc.nat(5).map((i) => new CloseCmd(i)),
    ].map((arbitrary) => arbitrary.map(checked));
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'large' }), async (cmds) => {
        // Each run gets its own two households and publications: the model starts empty. What the last run left on
        // a board is revoked (with its objections) before the board is closed, as the checker wants every record of a
        // closed board settled.
        await t.dataSource.query(
          `UPDATE objection SET status = 'UPHELD' WHERE status = 'OPEN' AND "villageId" = ${real.villageId}`,
        );
        await t.dataSource.query(
          `UPDATE score_record SET status = 'REVOKED' WHERE status IN ('PUBLICIZING', 'OBJECTED') AND "villageId" = ${real.villageId}`,
        );
        await t.dataSource.query(
          `UPDATE publication SET status = 'CLOSED' WHERE status = 'OPEN' AND "villageId" = ${real.villageId}`,
        );
        await t.dataSource.query(
          `UPDATE score_record SET status = 'REJECTED' WHERE status IN ('PENDING', 'APPROVED') AND "villageId" = ${real.villageId}`,
        );
        const committeeToken = await t.token(
          (real.committee as { username: string }).username,
          'test-pass-2026',
        );
        const households = [
          (await createTestHousehold(t, committeeToken, real.villageId)).id,
          (await createTestHousehold(t, committeeToken, real.villageId)).id,
        ];
        const model: Model = { records: [], objections: [], publications: new Map(), balances: new Map() };
        await fc.asyncModelRun(() => ({ model, real: { ...real, households } }), cmds);
      }),
      { numRuns: 20 },
    );
    // Hundreds of steps against a real database: a loaded machine needs more than the default 30 s.
  }, 240_000);
});
