import { signedPoints } from '../rules/rule-points.js';
import { type RecordedRow } from '../scoring/scoring.service.js';
import type { StartPageFacts } from './start-page.service.js';

/** One line of the to-do: `before count after`, linking to where the work is done; `count` absent for an action. */
export interface TodoItem {
  before: string;
  count?: number;
  after?: string;
  hint: string;
  href: string;
  /** Something waits (a count above zero, or an action to take). */
  waiting: boolean;
}

const names = (list: string[], most = 3) =>
  list.length > most ? `${list.slice(0, most).join('、')} 等` : list.join('、');

/** The to-do in the order the work is done: the counter, the review, the board, rankings, stock; the township's. */
export function todoItems(f: StartPageFacts): TodoItem[] {
  const items: TodoItem[] = [];
  const count = (n: number, item: Omit<TodoItem, 'count' | 'waiting'>) =>
    items.push({ ...item, count: n, waiting: n > 0 });
  if (f.counter)
    items.push({
      before: '兑换柜台',
      hint: '村民凭积分兑换商品',
      href: '/supermarket/counter',
      waiting: true,
    });
  if (f.pendingRecords !== undefined)
    count(f.pendingRecords, { before: '待审核', hint: '组长登记和村民申报的积分', href: '/scoring/review' });
  if (f.openObjections !== undefined)
    count(f.openObjections, {
      before: '异议',
      after: '待处理',
      hint: '公示期间村民提出的异议',
      href: '/publications',
    });
  // Only when something waits: most villages have no supervision committee account yet.
  if (f.opinionsToAnswer)
    count(f.opinionsToAnswer, {
      before: '监督意见',
      after: '待答复',
      hint: '村务监督委员会对公示记录和超市账目的意见',
      href: '/publications',
    });
  if (f.endedPublications !== undefined)
    count(f.endedPublications, {
      before: '期满待入账',
      hint: '公示期已满，处理完异议后入账',
      href: '/publications',
    });
  if (f.returnedRankings !== undefined)
    count(f.returnedRankings.length, {
      before: '乡镇退回的排名',
      hint: f.returnedRankings.length
        ? `${names(f.returnedRankings)}，按意见核实后重新提交`
        : '没有退回的排名',
      href: '/rankings',
    });
  if (f.lowStock !== undefined)
    count(f.lowStock.length, {
      before: '库存不足',
      hint: f.lowStock.length ? names(f.lowStock) : '商品库存充足',
      href: '/supermarket/goods',
    });
  // 党员量化积分: only when something waits (most accounts of the village are not the branch's).
  if (f.party?.toApprove)
    count(f.party.toApprove, {
      before: '党员积分',
      after: '条待审核',
      hint: '其他支部成员登记的记录，由您审核',
      href: '/party#queue',
    });
  if (f.party?.toPost)
    count(f.party.toPost, {
      before: '党内公示期满',
      after: '次待入账',
      hint: '答复异议后入账',
      href: '/party#publicity',
    });
  if (f.honourBallots)
    count(f.honourBallots, {
      before: '评选提名',
      after: '个待表决',
      hint: '星级文明户等评选中需要评议会表决的提名',
      href: '/honours',
    });
  if (f.supervision) {
    for (const p of f.supervision.onBoard)
      count(p.records, {
        before: '公示中',
        after: '条',
        hint: `公示期 ${p.startsOn} 至 ${p.endsOn}，有疑问可提出监督意见`,
        href: `/publications/${p.publicationId}`,
      });
    count(f.supervision.waiting.length, {
      before: '监督意见',
      after: '等待答复',
      hint: '提出的意见，村两委答复前相关记录不入账',
      href: '/publications',
    });
  }
  if (f.rankingReviews !== undefined)
    count(f.rankingReviews, { before: '待审核排名', hint: '各村提交的排名', href: '/township/reviews' });
  if (f.ruleFilings !== undefined)
    count(f.ruleFilings, {
      before: '待备案细则修订',
      hint: '各村经村民代表会议通过、报来备案的积分细则修订',
      href: '/rule-revisions',
    });
  if (f.honourFilings !== undefined)
    count(f.honourFilings, {
      before: '待备案评选结果',
      hint: '各村评选活动公示期满、报来备案的结果',
      href: '/honours',
    });
  if (f.creditFilings !== undefined)
    count(f.creditFilings, {
      before: '待备案信用户评定',
      hint: '各村公示期满、报来备案的信用等级',
      href: '/credit-grades',
    });
  // One line a late village, and none before the 6th or once every village has signed: nothing to chase then.
  if (f.lateStatements)
    for (const v of f.lateStatements.villages)
      items.push({
        before: `${v.name} ${Number(f.lateStatements.month.key.slice(5, 7))}月超市账目未公开`,
        hint: '每月 5 日前由村务监督委员会签字确认后在公示栏公开',
        href: `/supermarket/statements?villageId=${v.id}&month=${f.lateStatements.month.key}`,
        waiting: true,
      });
  if (f.signals !== undefined)
    count(f.signals.count, {
      before: '值得关注',
      after: '条',
      hint: `${f.signals.period.label}各村积分的公平性提示`,
      href: `/township?period=${f.signals.period.key}`,
    });
  return items;
}

/** Where a record stands, in the words a recorder uses: waiting, through, posted, sent back. */
const STAGES: { label: string; statuses: RecordedRow['status'][] }[] = [
  { label: '待审核', statuses: ['PENDING'] },
  { label: '已通过', statuses: ['APPROVED', 'PUBLICIZING', 'OBJECTED'] },
  { label: '已入账', statuses: ['POSTED'] },
  { label: '被退回', statuses: ['REJECTED'] },
  { label: '已撤销', statuses: ['REVOKED'] },
];

/** The recorder's own month: how many at each stage, and the rejected ones with the reason, to record again. */
export function myRecordsView(mine: StartPageFacts['myRecords']) {
  if (!mine) return undefined;
  const { rows } = mine;
  return {
    since: mine.since,
    total: rows.length,
    stages: STAGES.map((s) => ({
      label: s.label,
      count: rows.filter((r) => s.statuses.includes(r.status)).length,
    })).filter((s) => s.count > 0 || s.label !== '已撤销'),
    rejected: rows
      .filter((r) => r.status === 'REJECTED')
      .map((r) => ({
        id: r.id,
        household: `${r.householdCode} ${r.headName}`,
        rule: r.ruleTitle,
        points: signedPoints(r.points),
        occurredOn: r.occurredOn,
        reason: r.rejectReason ?? '',
        again: `/scoring/new?householdId=${r.householdId}`,
      })),
  };
}
