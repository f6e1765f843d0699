import { chinaTime } from '../common/dates.js';
import type { RevisionStatus, StoredRuleChange } from './rule-revision.entity.js';
import { pointsLabel } from './rule-points.js';
import type { RevisionView } from './rule-revisions.service.js';

export const REVISION_STATUS_LABELS: Record<RevisionStatus, string> = {
  DRAFT: '草稿',
  ADOPTED: '已表决通过，待报乡镇',
  SUBMITTED: '已报乡镇，待备案',
  FILED: '已备案，已生效',
  RETURNED: '乡镇已退回，未生效',
};

const OP_LABELS = { ADD: '新增', CHANGE: '修改', RETIRE: '停用' } as const;

/** The points a stored change sets, as the list prints them ("+8", "+5～+20"), or '' when it leaves them. */
function newPoints(rule: Record<string, unknown> | undefined): string {
  if (!rule) return '';
  if (typeof rule.points === 'number') return pointsLabel({ minPoints: rule.points, maxPoints: rule.points });
  if (typeof rule.minPoints === 'number' && typeof rule.maxPoints === 'number')
    return pointsLabel({ minPoints: rule.minPoints, maxPoints: rule.maxPoints });
  return '';
}

/** One change in words: "新增 DZ-09 赡养老人（+10）", "修改 ZZ-01：分值 +5 改为 +8", "停用 FZ-03 …". */
export function changeLine(change: StoredRuleChange): { op: string; text: string } {
  const op = OP_LABELS[change.op];
  if (change.op === 'ADD') return { op, text: `${change.code} ${change.title}（${newPoints(change.rule)}）` };
  const before = change.before ? pointsLabel(change.before) : '';
  if (change.op === 'RETIRE') return { op, text: `${change.code} ${change.title}（${before}）` };
  const parts = [
    newPoints(change.rule) && `分值 ${before} 改为 ${newPoints(change.rule)}`,
    typeof change.rule?.title === 'string' &&
      change.rule.title !== change.title &&
      `内容改为“${change.rule.title}”`,
    change.rule?.category !== undefined && `类别改为 ${String(change.rule.category)}`,
  ].filter(Boolean);
  return {
    op,
    text: `${change.code} ${change.title}${parts.length ? `：${parts.join('，')}` : '：其他设置'}`,
  };
}

/** A revision as its pages show it. */
export function revisionPage(r: RevisionView) {
  return {
    ...r,
    statusLabel: REVISION_STATUS_LABELS[r.status],
    lines: r.changes.map(changeLine),
    submittedLabel: chinaTime(r.submittedAt),
    decidedLabel: chinaTime(r.decidedAt),
    createdLabel: chinaTime(r.createdAt),
    votes:
      r.present === null
        ? null
        : `到会 ${r.present} 人，赞成 ${r.votesFor} 票，反对 ${r.votesAgainst} 票，弃权 ${r.votesAbstain} 票`,
  };
}
