import { chinaTime } from '../common/dates.js';
import type { Notice } from '../notices/notice.entity.js';
import { signedPoints } from '../rules/rule-points.js';
import type { VillagerService } from './villager.service.js';

/** A record's state in the household's words. */
export const HOUSEHOLD_RECORD_LABELS: Record<string, string> = {
  PENDING: '待审核',
  APPROVED: '已审核，待公示',
  REJECTED: '已退回',
  PUBLICIZING: '公示中',
  OBJECTED: '公示中，有异议',
  POSTED: '已入账',
  CORRECTED: '已更正',
  REVOKED: '已撤销',
};

const OBJECTION_LABELS: Record<string, string> = {
  OPEN: '处理中',
  DISMISSED: '异议不成立',
  UPHELD: '异议成立',
};

export function recordLines(records: Awaited<ReturnType<VillagerService['records']>>) {
  return records.map((r) => ({
    ...r,
    pointsLabel: signedPoints(r.points),
    deduction: r.points < 0,
    statusLabel: HOUSEHOLD_RECORD_LABELS[r.status] ?? r.status,
  }));
}

export function objectionLines(objections: Awaited<ReturnType<VillagerService['objections']>>) {
  return objections.map((o) => ({
    ...o,
    statusLabel:
      o.status === 'UPHELD' && o.correctedPoints !== null
        ? `异议成立，分值更正为 ${o.correctedPoints}`
        : o.status === 'UPHELD'
          ? '异议成立，记录已撤销'
          : (OBJECTION_LABELS[o.status] ?? o.status),
  }));
}

export function noticeLines(notices: Notice[]) {
  return notices.map((n) => ({ id: n.id, text: n.text, readAt: n.readAt, time: chinaTime(n.createdAt) }));
}
