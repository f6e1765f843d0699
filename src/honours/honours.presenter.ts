import type { Actor } from '../access/actor.js';
import { chinaTime } from '../common/dates.js';
import type { CampaignView, HonourLine } from './honours.service.js';

const OBJECTION_LABELS = { OPEN: '等待答复', UPHELD: '异议成立', DISMISSED: '已驳回' } as const;

/** A campaign as its page reads: each nomination's votes and outcome in words, the 公示 window, the objections. */
export function campaignPage(c: CampaignView, actor?: Actor, today?: string) {
  const byNomination = new Map(c.nominations.map((n) => [n.id, n]));
  return {
    ...c,
    inWindow: c.status === 'PUBLISHED' && !!c.windowEndsOn && (!today || c.windowEndsOn >= today),
    publishedLabel: chinaTime(c.publishedAt),
    filedLabel: chinaTime(c.filedAt),
    nominations: c.nominations.map((n) => ({
      ...n,
      ownHousehold: actor?.householdId === n.householdId,
      votesLabel: n.needsCouncil
        ? `赞成 ${n.yes} · 反对 ${n.no} · 弃权 ${n.abstain}` +
          (n.councilResult === 'APPROVED'
            ? '（通过）'
            : n.councilResult === 'REJECTED'
              ? '（未通过）'
              : `（满 ${c.quorum} 票按多数决定）`)
        : '',
      pointsLabel: n.points === null ? '' : `${n.points} 分`,
    })),
    objections: c.objections.map((o) => {
      const n = byNomination.get(o.nominationId);
      return {
        ...o,
        statusLabel: OBJECTION_LABELS[o.status],
        open: o.status === 'OPEN',
        what: n ? `${n.householdCode} ${n.headName}家 · ${n.starName}` : '',
      };
    }),
  };
}

/** Honours by campaign and star, as the board lists them: "孝敬和睦：TY-0001 李大山家、…". */
export function honoursByStar(lines: HonourLine[]) {
  const campaigns = new Map<
    number,
    { year: number; title: string; stars: Map<string, string[]>; withdrawn: string[] }
  >();
  for (const l of lines) {
    const c =
      campaigns.get(l.campaignId) ??
      campaigns
        .set(l.campaignId, { year: l.year, title: l.title, stars: new Map(), withdrawn: [] })
        .get(l.campaignId)!;
    const who = `${l.householdCode} ${l.headName}家`;
    if (l.status === 'WITHDRAWN') c.withdrawn.push(`${who}（${l.starName}）：${l.note ?? '已撤销'}`);
    else c.stars.set(l.starName, [...(c.stars.get(l.starName) ?? []), who]);
  }
  return [...campaigns.values()].map((c) => ({
    year: c.year,
    title: c.title,
    stars: [...c.stars.entries()].map(([name, households]) => ({ name, households })),
    withdrawn: c.withdrawn,
  }));
}
