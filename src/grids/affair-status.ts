import { DomainError } from '../common/domain-error.js';
import type { AffairStatus } from './grid-affair.entity.js';

/** Where a grid affair may go from each status: the one table every move of an affair is checked against. */
export const AFFAIR_MOVES: Readonly<Record<AffairStatus, readonly AffairStatus[]>> = {
  REPORTED: ['VALID', 'INVALID'],
  VALID: ['DISPATCHED'],
  INVALID: [],
  DISPATCHED: ['HANDLED'],
  HANDLED: [],
};

const WORDS: Record<AffairStatus, string> = {
  REPORTED: '待筛选',
  VALID: '有效，待派单',
  INVALID: '无效',
  DISPATCHED: '已派单，办理中',
  HANDLED: '已办结',
};

export const affairStatusLabel = (status: AffairStatus) => WORDS[status];

/** Refuses a move the table does not allow, in words: "这件事务已办结，不能再派单". */
export function assertAffairMove(from: AffairStatus, to: AffairStatus): void {
  if (AFFAIR_MOVES[from].includes(to)) return;
  const step: Record<AffairStatus, string> = {
    REPORTED: '上报',
    VALID: '筛选',
    INVALID: '筛选',
    DISPATCHED: '派单',
    HANDLED: '办结',
  };
  throw new DomainError('INVALID_STATE', `这件事务${WORDS[from]}，不能再${step[to]}`);
}

/** A dispatched matter not handled by its due day is overdue (逾期) from the day after. */
export const isOverdue = (a: { status: AffairStatus; dueOn: string | null }, today: string) =>
  a.status === 'DISPATCHED' && a.dueOn !== null && a.dueOn < today;
