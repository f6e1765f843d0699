/** The words of each notice, in one place. Points are signed as on the board: +10, -5. */
const signed = (points: number) => (points > 0 ? `+${points}` : String(points));

export const noticeText = {
  publicizing: (title: string, points: number, endsOn: string) =>
    `${points < 0 ? '扣分：' : ''}${title} ${signed(points)} 分已进入公示，公示到 ${endsOn}。如有异议，请在公示期内提出。`,
  posted: (title: string, points: number) =>
    `${points < 0 ? '扣分：' : ''}${title} ${signed(points)} 分已记入您家的积分存折。`,
  corrected: (title: string, from: number, to: number, reason?: string | null) =>
    `${title} 的分值由 ${signed(from)} 更正为 ${signed(to)}${reason ? `，理由：${reason}` : ''}。`,
  revoked: (title: string, points: number) => `${title} ${signed(points)} 分经核实已撤销，不记入存折。`,
  declarationRejected: (title: string, reason: string | null) =>
    `您申报的“${title}”被退回${reason ? `，理由：${reason}` : ''}。可以修改后重新申报。`,
  objectionDecided: (title: string, upheld: boolean, outcome: string, reason: string | null) =>
    `您对“${title}”提出的异议已处理：${upheld ? `异议成立，${outcome}` : '异议不成立，维持原记录'}${reason ? `。理由：${reason}` : ''}。`,
  affairScreened: (kind: string, valid: boolean, reason: string | null, earns: boolean) =>
    valid
      ? `您上报的${kind}事务经村两委筛选为有效，将派人办理${earns ? '；这次上报的积分已登记，审核、公示后入账' : ''}。`
      : `您上报的${kind}事务经村两委筛选为无效${reason ? `，理由：${reason}` : ''}。`,
  affairDispatched: (kind: string, dueOn: string) => `您上报的${kind}事务已派单办理，期限到 ${dueOn}。`,
  affairGiven: (kind: string, dueOn: string) =>
    `村两委把一件${kind}事务派给您家办理，请在 ${dueOn} 前办结，办结后可在“网格事务”里填写办理情况。`,
  affairHandled: (kind: string, note: string) => `您上报的${kind}事务已办结：${note}`,
  expiring: (on: string, available: number, keep: number) =>
    `${on} 本村积分年度清零：您家现有可用积分 ${available} 分，届时保留 ${keep} 分，其余清零（累计积分不变）。请在此之前到积分超市兑换。`,
};
