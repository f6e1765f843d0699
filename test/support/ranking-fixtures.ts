import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { parsePeriod } from '../../src/common/periods.js';
import { PublicationsScheduler } from '../../src/publications/publications.scheduler.js';
import type { TestApp } from './create-test-app.js';
import { auth } from './factories.js';
import { createScoringScene, createTestRule } from './scoring-fixtures.js';

type Scene = Awaited<ReturnType<typeof createScoringScene>>;

export interface Deed {
  householdId: number;
  points: number;
  occurredOn: string;
  /** Record it under the village's black-list rule (a deduction). */
  blackList?: boolean;
}

const rulesByVillage = new Map<string, { reward: number; deduction: number; black: number }>();

/**
 * Posts deeds to the passbooks through the real path: recorded by the scorer, approved by the committee, published
 * with a window that has already ended (the app must run with PUBLICATION_MIN_DAYS=0) and closed.
 */
export async function postDeeds(t: TestApp, scene: Scene, deeds: Deed[]): Promise<void> {
  const committee = await scene.villageAdmin.token();
  const scorer = await scene.scorer.token();
  const key = `${t.settings.databaseUrl}|${scene.village.id}`;
  let rules = rulesByVillage.get(key);
  if (!rules) {
    rules = {
      reward: (
        await createTestRule(t, committee, scene.village.id, {
          points: undefined,
          minPoints: 1,
          maxPoints: 500,
        })
      ).id,
      deduction: (
        await createTestRule(t, committee, scene.village.id, {
          points: undefined,
          category: '自治',
          title: '违规扣分',
          minPoints: -500,
          maxPoints: -1,
        })
      ).id,
      black: (
        await createTestRule(t, committee, scene.village.id, {
          points: undefined,
          category: '法治',
          title: '违规占地建房',
          minPoints: -500,
          maxPoints: -1,
          blackList: true,
        })
      ).id,
    };
    rulesByVillage.set(key, rules);
  }
  for (const deed of deeds) {
    const ruleId = deed.blackList ? rules.black : deed.points > 0 ? rules.reward : rules.deduction;
    const rec = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(scorer))
      .send({ householdId: deed.householdId, ruleId, occurredOn: deed.occurredOn, points: deed.points });
    if (rec.status !== 201) throw new Error(`record: ${rec.status} ${JSON.stringify(rec.body)}`);
    const ok = await request(t.http)
      .post(`/api/v1/score-records/${rec.body.id}/approve`)
      .set(auth(committee))
      .send({});
    if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);
  }
  const pub = await request(t.http)
    .post('/api/v1/publications')
    .set(auth(committee))
    .send({ villageId: scene.village.id, days: 0 });
  if (pub.status !== 201) throw new Error(`publication: ${pub.status} ${JSON.stringify(pub.body)}`);
  await t.app.get(PublicationsScheduler).tick();
}

/**
 * Runs `act` as on the first day after `periodKey` (`2026-12`, `2026-Q4`, `2026`) by stopping the app's clock there,
 * then lets the clock run again: only an ended period's ranking can be submitted to the township, and a test of what
 * follows a submission (the board, the township's queue) can keep the running month's points.
 */
export async function afterPeriodEnds<T>(t: TestApp, periodKey: string, act: () => Promise<T>): Promise<T> {
  const period = parsePeriod(periodKey);
  if (!period) throw new Error(`not a period: ${periodKey}`);
  const clock = t.app.get(Clock);
  clock.stopAt(new Date(`${period.next}T09:00:00+08:00`));
  try {
    return await act();
  } finally {
    clock.stopAt(null);
  }
}
