import { ROLE_LABELS, type Role } from '../access/role.js';
import { chinaTimeSeconds } from '../common/dates.js';
import { parsePeriod } from '../common/periods.js';
import { pointsLabel, signedPoints } from '../rules/rule-points.js';
import type { AuditLog } from './audit-log.entity.js';

/** The names an entry's ids stand for, looked up once for a page of entries (AuditLogService.names). */
export interface AuditNames {
  households: Map<number, { code: string; headName: string }>;
  goods: Map<number, string>;
  rules: Map<number, { code: string; title: string }>;
  users: Map<number, { displayName: string; username: string; role: string }>;
  groups: Map<number, string>;
  villages: Map<number, string>;
  townships: Map<number, string>;
  /** Score records an objection or a list entry points at: whose and under which rule. */
  records: Map<number, { householdId: number; ruleId: number }>;
}

/** The ids a page of entries mentions, by kind: what AuditLogService.names looks up. */
export interface AuditRefs {
  households: Set<number>;
  goods: Set<number>;
  rules: Set<number>;
  users: Set<number>;
  groups: Set<number>;
  records: Set<number>;
}

/** One entry as the 操作日志 page shows it. */
export interface AuditEntryView {
  id: number;
  time: string;
  who: string;
  role: string;
  sentence: string;
  villageName: string;
  /** For an auditor, behind 原始记录: the code, the object, the address and the details as stored. */
  raw: { action: string; object: string; ip: string; details: string };
}

type Details = Record<string, unknown>;
type Row = Pick<
  AuditLog,
  | 'id'
  | 'createdAt'
  | 'actorType'
  | 'actorId'
  | 'actorName'
  | 'action'
  | 'entityType'
  | 'entityId'
  | 'villageId'
  | 'townshipId'
  | 'details'
  | 'ip'
>;

function parse(details: string | null): Details {
  if (!details) return {};
  try {
    const value: unknown = JSON.parse(details);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Details) : {};
  } catch {
    return {};
  }
}

/** The stored details, indented when they are JSON, as stored otherwise. */
function pretty(details: string | null): string {
  if (!details) return '';
  try {
    return JSON.stringify(JSON.parse(details), null, 1);
  } catch {
    return details;
  }
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const ids = (v: unknown): number[] => (Array.isArray(v) ? v.map(num).filter((n) => n !== undefined) : []);
/** "，理由：…" when there is one. */
const because = (v: unknown, word = '理由') => (text(v) ? `，${word}：${text(v)}` : '');
/** The council's votes so far, as a vote or its decision recorded them (counts, never names). */
const councilVotes = (d: Details) =>
  `赞成 ${text(d.yes ?? 0)}，反对 ${text(d.no ?? 0)}，弃权 ${text(d.abstain ?? 0)}`;
const periodLabel = (v: unknown) => parsePeriod(text(v))?.label ?? text(v);
const roleLabel = (v: unknown) => ROLE_LABELS[text(v) as Role] ?? text(v);
const listLabel = (v: unknown) => (v === 'BLACK' ? '黑榜' : '红榜');

/** What an entry's sentence needs: its details, its row, and the names behind the ids. */
class Say {
  constructor(
    readonly d: Details,
    readonly row: Row,
    private readonly names: AuditNames,
  ) {}

  household(id: unknown = this.d.householdId): string {
    const n = num(id);
    const h = n === undefined ? undefined : this.names.households.get(n);
    return h ? `${h.code} ${h.headName}家` : n === undefined ? '农户' : `第 ${n} 号户`;
  }
  /** The household the row is about (entity household). */
  entityHousehold(): string {
    return this.household(this.row.entityId);
  }
  goods(id: unknown = this.row.entityId): string {
    const n = num(id);
    const name = n === undefined ? undefined : this.names.goods.get(n);
    return name ? `“${name}”` : `第 ${text(id)} 号商品`;
  }
  rule(id: unknown = this.d.ruleId): string {
    const n = num(id);
    const r = n === undefined ? undefined : this.names.rules.get(n);
    return r ? `“${r.code} ${r.title}”` : `第 ${text(id)} 号细则`;
  }
  user(id: unknown = this.row.entityId): string {
    const n = num(id);
    const u = n === undefined ? undefined : this.names.users.get(n);
    return u ? `${u.displayName}（${u.username}，${roleLabel(u.role)}）` : `第 ${text(id)} 号账号`;
  }
  group(id: unknown): string {
    const n = num(id);
    return (n !== undefined && this.names.groups.get(n)) || '';
  }
  village(): string {
    const n = this.row.villageId ?? this.row.entityId;
    return (n !== null && this.names.villages.get(n)) || '本村';
  }
  township(): string {
    const n = this.row.townshipId ?? this.row.entityId;
    return (n !== null && this.names.townships.get(n)) || '乡镇';
  }
  /** A score record: "第 45 号记录（XH-0012 张三家，“A01 拾金不昧”）". */
  record(id: unknown): string {
    const n = num(id);
    const r = n === undefined ? undefined : this.names.records.get(n);
    return r
      ? `第 ${n} 号记录（${this.household(r.householdId)}，${this.rule(r.ruleId)}）`
      : `第 ${text(id)} 号记录`;
  }
  /** The points and day of a score record's entry: "“A01 拾金不昧” +5 分（2026-11-03）". */
  scored(): string {
    const points = num(this.d.points);
    const day = text(this.d.occurredOn);
    return `${this.rule()}${points === undefined ? '' : ` ${signedPoints(points)} 分`}${day ? `（${day}）` : ''}`;
  }
  /** The changed fields in words: "户主改为 李四、人口改为 4". */
  changes(words: Record<string, string>, values: Record<string, (v: unknown) => string> = {}): string {
    const said = Object.entries(words)
      .filter(([key]) => key in this.d)
      .map(([key, word]) => `${word}${values[key] ? values[key](this.d[key]) : `改为 ${text(this.d[key])}`}`);
    return said.length ? `：${said.join('，')}` : '';
  }
}

/** Each action in a sentence, the object named. Every action recorded in src/ or seeds/ has one (the spec checks). */
export const SENTENCES: Record<string, (s: Say) => string> = {
  'auth.login': () => '登录系统',
  'auth.login_failed': (s) => `用账号“${s.row.actorName}”登录，密码不对或账号不存在`,
  'auth.villager_login': (s) =>
    `${s.entityHousehold()}登录${s.d.byProxy ? `（由代办人 ${text((s.d.byProxy as Details).name)} 登录）` : ''}`,
  'auth.villager_login_failed': (s) => `${s.row.actorName.replace(/^户 /, '户号 ')} 登录，户号或密码不对`,
  'user.create': (s) =>
    `新建账号 ${text(s.d.displayName)}（${text(s.d.username)}，${roleLabel(s.d.role)}）${s.d.awaitingConfirmation ? '，等待乡镇确认' : ''}`,
  'user.update': (s) =>
    `修改账号 ${s.user()}${s.changes({ displayName: '姓名', role: '角色' }, { role: (v) => `改为 ${roleLabel(v)}` })}`,
  'user.deactivate': (s) => `停用账号 ${s.user()}`,
  'user.activate': (s) => `启用账号 ${s.user()}`,
  'user.activate_requested': (s) => `申请启用账号 ${s.user()}，等待乡镇确认`,
  'user.password_reset': (s) => `为账号 ${s.user()} 重设密码`,
  'user.password_change': () => '修改了自己的登录密码',
  'user.confirm': (s) => `确认账号 ${text(s.d.username)}（${roleLabel(s.d.role)}），可以登录了`,
  'township.create': (s) => `新建乡镇“${text(s.d.name)}”${s.d.code ? `（代码 ${text(s.d.code)}）` : ''}`,
  'township.update': (s) => `修改乡镇“${s.township()}”${s.changes({ name: '名称' })}`,
  'township.activate': (s) => `启用乡镇“${s.township()}”`,
  'township.deactivate': (s) => `停用乡镇“${s.township()}”`,
  'township.opening_cap': (s) =>
    `“${s.township()}”的期初积分上限由 ${text(s.d.from)} 分改为 ${text(s.d.to)} 分`,
  'village.create': (s) =>
    `新建村“${text(s.d.name)}”（代码 ${text(s.d.code)}）${Array.isArray(s.d.groups) && s.d.groups.length ? `，村民小组 ${s.d.groups.length} 个` : ''}`,
  'village.update': (s) => `修改村“${s.village()}”${s.changes({ name: '名称' })}`,
  'village.activate': (s) => `启用村“${s.village()}”`,
  'village.deactivate': (s) => `停用村“${s.village()}”`,
  'village.settings': (s) => `${s.d.declarationsEnabled ? '开放' : '关闭'}村民申报`,
  'village.reset-settings': (s) =>
    s.d.resetEnabled
      ? `设为每年 ${text(s.d.resetOn)} 清零，每户保留 ${text(s.d.resetKeep ?? 0)} 分`
      : '关闭年度清零',
  'village.ranking-settings': (s) =>
    `排名设置：星级门槛 ${text(s.d.starThresholds)} 分，黑榜${s.d.blackListMode === 'GROUP' ? '只显示小组' : '显示户名'}，红榜推荐 ${text(s.d.redListSize)} 户`,
  'group.create': (s) => `新增村民小组“${text(s.d.name)}”`,
  'group.update': (s) =>
    `修改村民小组“${s.group(s.row.entityId) || text(s.d.name)}”${s.changes({ name: '名称', sortOrder: '排序' })}`,
  'household.create': (s) =>
    `新增农户 ${text(s.d.code)} ${text(s.d.headName)}家${s.d.memberCount ? `（${text(s.d.memberCount)} 口人）` : ''}${s.group(s.d.groupId) ? `，${s.group(s.d.groupId)}` : ''}`,
  'household.update': (s) =>
    `修改农户 ${s.entityHousehold()}${s.changes(
      { headName: '户主', memberCount: '人口', phone: '电话', groupId: '小组' },
      { groupId: (v) => `改为 ${s.group(v) || '未分组'}`, phone: () => '已修改' },
    )}`,
  'household.move_out': (s) => `农户 ${s.entityHousehold()} 迁出（${text(s.d.movedOutOn)}）`,
  'household.pin_reset': (s) => `重置农户 ${s.entityHousehold()} 的登录密码（PIN）`,
  'household.import': (s) => {
    const count = num(s.d.count) ?? 0;
    const range = count > 1 ? `${text(s.d.first)} 至 ${text(s.d.last)}` : text(s.d.first);
    return `导入农户 ${count} 户：${range}${s.d.skipped ? `，跳过已有的 ${text(s.d.skipped)} 户` : ''}${s.d.generatedPins ? `，新生成密码 ${text(s.d.generatedPins)} 个` : ''}`;
  },
  'household.opening_import': (s) =>
    `导入期初积分 ${text(s.d.entries)} 户，共 ${text(s.d.total)} 分（从纸质台账转入）`,
  'household.proxy_add': (s) =>
    `为 ${s.entityHousehold()} 登记代办人 ${text(s.d.name)}${s.d.relation ? `（${text(s.d.relation)}）` : ''}`,
  'household.proxy_end': (s) => `结束 ${text(s.d.name)} 为 ${s.entityHousehold()} 代办`,
  'member.add': (s) =>
    `为 ${s.entityHousehold()} 添加家庭成员 ${text(s.d.name)}${s.d.relation ? `（${text(s.d.relation)}）` : ''}`,
  'member.remove': (s) =>
    `从 ${s.entityHousehold()} 删除家庭成员 ${text(s.d.name)}${s.d.relation ? `（${text(s.d.relation)}）` : ''}`,
  'rule.create': (s) =>
    `新增积分细则“${text(s.d.code)} ${text(s.d.title)}”${typeof s.d.minPoints === 'number' && typeof s.d.maxPoints === 'number' ? `，${pointsLabel({ minPoints: s.d.minPoints, maxPoints: s.d.maxPoints })} 分` : ''}`,
  'rule.update': (s) =>
    `修改积分细则 ${s.rule(s.row.entityId)}${typeof s.d.minPoints === 'number' && typeof s.d.maxPoints === 'number' ? `：分值 ${pointsLabel({ minPoints: s.d.minPoints, maxPoints: s.d.maxPoints })} 分` : ''}${s.d.version ? `，第 ${text(s.d.version)} 版` : ''}`,
  'rule.retire': (s) => `停用积分细则 ${s.rule(s.row.entityId)}`,
  'rule.activate': (s) => `启用积分细则 ${s.rule(s.row.entityId)}`,
  'rule.copy_templates': (s) => {
    const codes = Array.isArray(s.d.codes) ? s.d.codes.map(text) : [];
    return `从乡镇模板复制积分细则 ${codes.length} 条${codes.length ? `：${codes.join('、')}` : ''}`;
  },
  'revision.draft': (s) => `起草第 ${text(s.row.entityId)} 号细则修订（${text(s.d.changes)} 条修改）`,
  'revision.change': (s) => `第 ${text(s.row.entityId)} 号细则修订添加修改，现共 ${text(s.d.changes)} 条`,
  'revision.adopt': (s) =>
    `登记第 ${text(s.row.entityId)} 号细则修订的村民代表会议表决（${text(s.d.meetingOn)}）：到会 ${text(s.d.present)} 人，赞成 ${text(s.d.votesFor)}，反对 ${text(s.d.votesAgainst)}，弃权 ${text(s.d.votesAbstain)}，通过`,
  'revision.submit': (s) => `第 ${text(s.row.entityId)} 号细则修订报乡镇备案`,
  'revision.file': (s) =>
    `备案“${s.village()}”第 ${text(s.row.entityId)} 号细则修订，${text(s.d.changes)} 条修改生效${s.d.comment ? `；意见：${text(s.d.comment)}` : ''}`,
  'revision.return': (s) =>
    `退回“${s.village()}”第 ${text(s.row.entityId)} 号细则修订，细则不变${because(s.d.comment, '原因')}`,
  'score.record': (s) => `为 ${s.household()} 登记积分：${s.scored()}，第 ${text(s.row.entityId)} 号记录`,
  'score.batch': (s) =>
    `批量登记 ${ids(s.d.recordIds).length} 户：${s.rule()}${s.d.occurredOn ? `（${text(s.d.occurredOn)}）` : ''}`,
  'score.declare': (s) => `${s.household()} 申报：${s.scored()}，第 ${text(s.row.entityId)} 号记录`,
  'score.approve': (s) =>
    `${s.d.byCouncil ? '评议会表决通过' : '审核通过'} ${s.household()} 的第 ${text(s.row.entityId)} 号记录：${s.scored()}${s.d.byCouncil ? `（${councilVotes(s.d)}）` : ''}`,
  'score.reject': (s) =>
    `退回 ${s.household()} 的第 ${text(s.row.entityId)} 号记录：${s.scored()}${because(s.d.reason)}`,
  'council.vote': (s) =>
    `评议会投票：${{ YES: '赞成', NO: '反对', ABSTAIN: '弃权' }[text(s.d.vote)] ?? text(s.d.vote)} ${s.household()} 的第 ${text(s.row.entityId)} 号记录${s.d.comment ? `，意见：${text(s.d.comment)}` : ''}（${councilVotes(s.d)}）`,
  'council.quorum': (s) => `评议会表决人数由 ${text(s.d.from)} 人改为 ${text(s.d.to)} 人`,
  'honour.campaign': (s) =>
    `发起第 ${text(s.row.entityId)} 号评选活动“${text(s.d.title)}”（${text(s.d.year)}年，${Array.isArray(s.d.stars) ? s.d.stars.join('、') : ''}）`,
  'honour.nominate': (s) =>
    `第 ${text(s.row.entityId)} 号评选活动提名 ${text(s.d.household)}：${text(s.d.star)}`,
  'honour.vote': (s) =>
    `评议会成员对第 ${text(s.d.nominationId)} 号提名投票：${{ YES: '赞成', NO: '反对', ABSTAIN: '弃权' }[text(s.d.vote)] ?? text(s.d.vote)}${s.d.result ? `，表决${s.d.result === 'APPROVED' ? '通过' : '未通过'}` : ''}`,
  'honour.publish': (s) =>
    `公示第 ${text(s.row.entityId)} 号评选活动的结果：提名 ${text(s.d.nominations)} 个，评上 ${text(s.d.awarded)} 个，公示到 ${text(s.d.windowEndsOn)}`,
  'honour.object': (s) => `对第 ${text(s.d.nominationId)} 号提名的评选结果提出异议：${text(s.d.reason)}`,
  'honour.resolve': (s) =>
    `答复对第 ${text(s.d.nominationId)} 号提名的异议：${s.d.decision === 'UPHOLD' ? '异议成立，不授予' : '驳回'}（${text(s.d.answer)}）`,
  'honour.file': (s) => `乡镇备案第 ${text(s.row.entityId)} 号评选活动“${text(s.d.title)}”的结果`,
  'honour.withdraw': (s) => `撤销第 ${text(s.d.nominationId)} 号提名的荣誉：${text(s.d.reason)}`,
  'credit.rules': (s) =>
    `设定信用等级标准${Array.isArray(s.d.levels) ? `：${s.d.levels.map(text).join('，')}` : ''}${s.d.blackListGrade ? `；上过黑榜的农户最高评为 ${text(s.d.blackListGrade)}` : ''}`,
  'credit.compute': (s) =>
    `评定${text(s.d.year)}年信用等级${s.d.households !== undefined ? `，共 ${text(s.d.households)} 户` : ''}${
      s.d.byGrade && typeof s.d.byGrade === 'object'
        ? `（${Object.entries(s.d.byGrade as Details)
            .map(([g, n]) => `${g} ${text(n)} 户`)
            .join('，')}）`
        : ''
    }`,
  'credit.publicize': (s) =>
    `公示${text(s.d.year)}年信用等级${s.d.windowEndsOn ? `，公示到 ${text(s.d.windowEndsOn)}` : ''}`,
  'credit.object': (s) =>
    `对 ${s.household()} 的${text(s.d.year)}年信用等级${s.d.grade ? `（${text(s.d.grade)}）` : ''}提出异议${because(s.d.reason)}`,
  'credit.answer': (s) =>
    `答复对 ${s.household()} 信用等级的异议：${s.d.decision === 'UPHOLD' ? `异议成立，等级由 ${text(s.d.from)} 改为 ${text(s.d.to)}` : '驳回'}${because(s.d.answer)}`,
  'credit.submit': (s) => `${text(s.d.year)}年信用等级报乡镇备案`,
  'credit.file': (s) =>
    `乡镇备案${s.village()}${text(s.d.year)}年的信用等级${s.d.comment ? `，意见：${text(s.d.comment)}` : ''}`,
  'credit.return': (s) => `乡镇退回${s.village()}${text(s.d.year)}年的信用等级${because(s.d.comment)}`,
  'activity.create': (s) =>
    `发布第 ${text(s.row.entityId)} 号志愿服务活动“${text(s.d.title)}”${s.d.on ? `（${text(s.d.on)}，名额 ${text(s.d.places)} 户）` : ''}`,
  'activity.signup': (s) =>
    `${s.household()} 报名第 ${text(s.row.entityId)} 号志愿服务活动“${text(s.d.title)}”`,
  'activity.attend': (s) =>
    `${s.household()} 参加第 ${text(s.row.entityId)} 号志愿服务活动“${text(s.d.title)}”签到${text(s.d.hours) ? `，服务 ${text(s.d.hours)} 小时` : ''}`,
  'activity.close': (s) =>
    `结束第 ${text(s.row.entityId)} 号志愿服务活动“${text(s.d.title)}”，为 ${ids(s.d.recordIds).length} 户登记待审核的积分${Array.isArray(s.d.skipped) && s.d.skipped.length ? `，${s.d.skipped.length} 户未登记（如细则的次数已满）` : ''}`,
  'council.show-names': (s) =>
    s.d.to ? '公示时显示评议会投票人的姓名和所投的票' : '公示时不再显示评议会投票人的姓名，只公示票数',
  'grid.create': (s) => `划分网格“${text(s.d.name)}”，共 ${text(s.d.households)} 户`,
  'grid.settings': (s) =>
    `设定网格事务记分：有效上报${s.d.validReportRuleId ? `按第 ${text(s.d.validReportRuleId)} 号细则记分` : '不记分'}，办结${s.d.handledRuleId ? `按第 ${text(s.d.handledRuleId)} 号细则记分` : '不记分'}`,
  'gridAffair.report': (s) => `上报第 ${text(s.row.entityId)} 号网格事务：${text(s.d.text)}`,
  'gridAffair.valid': (s) =>
    `第 ${text(s.row.entityId)} 号网格事务筛选为有效${s.d.recordId ? `，给上报户登记第 ${text(s.d.recordId)} 号积分记录` : ''}`,
  'gridAffair.invalid': (s) => `第 ${text(s.row.entityId)} 号网格事务筛选为无效${because(s.d.reason)}`,
  'gridAffair.dispatch': (s) =>
    `第 ${text(s.row.entityId)} 号网格事务派单${s.d.assigneeHouseholdId ? `给 ${s.household(s.d.assigneeHouseholdId)}` : ''}，期限 ${text(s.d.dueOn)}`,
  'gridAffair.close': (s) =>
    `第 ${text(s.row.entityId)} 号网格事务办结：${text(s.d.note)}${s.d.recordId ? `（登记第 ${text(s.d.recordId)} 号积分记录）` : ''}`,
  'inspection.open': (s) =>
    `开始第 ${text(s.row.entityId)} 号入户检查“${text(s.d.title)}”${s.d.category ? `，检查${text(s.d.category)}类细则` : ''}`,
  'inspection.entry': (s) =>
    `第 ${text(s.row.entityId)} 号入户检查记下 ${s.household()}：${s.rule()}${s.d.points !== undefined && s.d.points !== null ? ` ${signedPoints(Number(s.d.points))} 分` : ''}${because(s.d.note, '情况')}`,
  'inspection.submit': (s) =>
    `提交第 ${text(s.row.entityId)} 号入户检查“${text(s.d.title)}”，登记 ${text(s.d.records ?? 0)} 条积分记录`,
  'supervision.raise': (s) => `村务监督委员会对${supervised(s)}提出意见：${text(s.d.text)}`,
  'supervision.answer': (s) => `答复村务监督委员会对${supervised(s)}的意见：${text(s.d.answer)}`,
  'statement.sign': (s) =>
    `村务监督委员会签字确认“${s.village()}”${periodLabel(s.d.month)}超市账目（兑换 ${text(s.d.redemptions)} 笔，共 ${text(s.d.points)} 分），在公示栏公开`,
  'score.correct': (s) =>
    `更正 ${s.household()} 的第 ${text(s.row.entityId)} 号记录（${s.rule()}）：由 ${text(s.d.from)} 分改为 ${text(s.d.to)} 分${because(s.d.reason)}`,
  'publication.open': (s) =>
    `开始公示 ${ids(s.d.recordIds).length} 条记录${s.d.days !== undefined ? `，公示 ${text(s.d.days)} 天` : ''}（第 ${text(s.row.entityId)} 号公示）`,
  'publication.close': (s) =>
    `第 ${text(s.row.entityId)} 号公示结束，${ids(s.d.postedRecordIds).length} 条记录入账`,
  'objection.file': (s) => {
    // Recorded by the committee for a villager who came in person: whose objection it is, and who said it.
    const behalf = s.d.onBehalfOf as Details | undefined;
    const by = behalf
      ? `代 ${text(behalf.household)} 登记${s.d.toldBy ? `（${text(s.d.toldBy)} 来反映）` : ''}：`
      : '';
    return `${by}对${s.record(s.d.recordId)}提出异议${because(s.d.reason)}`;
  },
  'objection.dismiss': (s) => `驳回对${s.record(s.d.recordId)}的异议，记录照常入账${because(s.d.reason)}`,
  'objection.uphold_correct': (s) =>
    `异议成立：${s.record(s.d.recordId)}由 ${text(s.d.from)} 分改为 ${text(s.d.to)} 分${because(s.d.reason)}`,
  'objection.uphold_revoke': (s) => `异议成立：撤销${s.record(s.d.recordId)}${because(s.d.reason)}`,
  'redemption.create': (s) => {
    const items = Array.isArray(s.d.items) ? (s.d.items as Details[]) : [];
    const what = items.map((i) => `${s.goods(i.goodsId)}×${text(i.quantity)}`).join('、');
    return `${s.household()} 兑换 ${what || '商品'}，共 ${text(s.d.totalPoints)} 分（小票 ${text(s.d.receiptNo)}）`;
  },
  'redemption.cancel': (s) =>
    `撤销兑换小票 ${text(s.d.receiptNo)}，${text(s.d.totalPoints)} 分退回${because(s.d.reason)}`,
  'goods.create': (s) =>
    `新增商品“${text(s.d.name)}”，每件 ${text(s.d.pricePoints)} 分，库存 ${text(s.d.stock ?? 0)}`,
  'goods.update': (s) => {
    const before = (s.d.before ?? {}) as Details;
    const after = (s.d.after ?? {}) as Details;
    const said: string[] = [];
    if (after.name !== undefined && after.name !== before.name) said.push(`名称改为“${text(after.name)}”`);
    if (after.pricePoints !== undefined && after.pricePoints !== before.pricePoints)
      said.push(`价格由 ${text(before.pricePoints)} 分改为 ${text(after.pricePoints)} 分`);
    if (after.active !== undefined && after.active !== before.active)
      said.push(after.active ? '上架' : '下架');
    return `修改商品“${text(before.name) || s.goods()}”${said.length ? `：${said.join('，')}` : ''}`;
  },
  'goods.stock-in': (s) =>
    `${s.goods()}入库 ${text(s.d.quantity)} 件（${s.d.source === 'DONATION' ? `捐赠${s.d.donor ? `：${text(s.d.donor)}` : ''}` : '采购'}）`,
  'goods.stock-take': (s) =>
    `盘点${s.goods()}：账面 ${text(s.d.before)} 件，实有 ${text(s.d.counted)} 件${because(s.d.reason, '原因')}`,
  'points.reset': (s) =>
    `年度清零（${text(s.d.on)}）：${text(s.d.households)} 户超过 ${text(s.d.keep)} 分的部分清零，共 ${text(s.d.expiredPoints)} 分`,
  'notice.read': (s) => `${s.entityHousehold()}看过 ${ids(s.d.noticeIds).length} 条通知`,
  'notice.printed': (s) =>
    `${periodLabel(s.d.month)}积分对账单打印发到户：${text(s.d.households)} 户${s.group(s.d.groupId) ? `（${s.group(s.d.groupId)}）` : ''}`,
  'ranking.submit': (s) => `提交${periodLabel(s.d.period)}排名给乡镇审核（${text(s.d.households)} 户）`,
  'ranking.approve': (s) => `${periodLabel(s.d.period)}排名审核通过${because(s.d.comment, '意见')}`,
  'ranking.return': (s) => `退回${periodLabel(s.d.period)}排名${because(s.d.comment, '意见')}`,
  'list.confirm': (s) =>
    `确认${periodLabel(s.d.period)}${listLabel(s.d.list)}：${s.household()}${because(s.d.reason)}`,
  'list.publish': (s) => `发布${periodLabel(s.d.period)}红黑榜，共 ${text(s.d.entries)} 条`,
  'list.lift': (s) => `黑榜第 ${text(s.row.entityId)} 条整改销号${because(s.d.note, '说明')}`,
  'list.withdraw': (s) => `撤回红黑榜第 ${text(s.row.entityId)} 条${because(s.d.note, '说明')}`,
  'certificate.issue': (s) =>
    `为 ${s.household()} 开具积分证明 ${text(s.d.code)}${s.d.earned !== undefined ? `（累计获得 ${text(s.d.earned)} 分）` : ''}`,
  'certificate.revoke': (s) => `撤销积分证明 ${text(s.d.code)}${because(s.d.reason)}`,
  'consent.create': (s) =>
    `为 ${s.entityHousehold()} 生成银行查询授权码（尾号 ${text(s.d.lastDigits)}，到 ${text(s.d.expiresOn)} 有效）`,
  'consent.revoke': (s) => `撤销 ${s.entityHousehold()} 尾号 ${text(s.d.lastDigits)} 的银行查询授权码`,
  'party.member_register': (s) =>
    `登记党员 ${text(s.d.name)}${s.d.username ? `，登录名 ${text(s.d.username)}` : ''}`,
  'party.rule_create': (s) =>
    `新增党员积分细则“${text(s.d.title)}”${s.d.points !== undefined ? `（${text(s.d.points)} 分）` : ''}`,
  'party.settings': (s) =>
    `设定党员积分：${s.d.monthlyBase ? `每月基础分 ${text(s.d.monthlyBase)} 分，` : ''}一至五星 ${text(s.d.starThresholds)}`,
  'party.record': (s) =>
    `为党员 ${text(s.d.member)} 登记“${text(s.d.rule)}”${s.d.points !== undefined ? ` ${text(s.d.points)} 分` : ''}`,
  'party.record_approve': (s) => `审核通过党员积分记录 ${text(s.row.entityId)}`,
  'party.record_reject': (s) => `退回党员积分记录 ${text(s.row.entityId)}${because(s.d.reason)}`,
  'party.publication_open': (s) =>
    `开始党内公示${s.d.records !== undefined ? ` ${text(s.d.records)} 条记录` : ''}${s.d.days !== undefined ? `，${text(s.d.days)} 天` : ''}`,
  'party.objection': (s) => `对党员积分记录 ${text(s.row.entityId)} 提出异议${because(s.d.reason)}`,
  'party.objection_uphold': (s) =>
    `党员积分记录 ${text(s.row.entityId)} 的异议成立，记录撤回${because(s.d.reason)}`,
  'party.objection_dismiss': (s) => `党员积分记录 ${text(s.row.entityId)} 的异议不成立${because(s.d.reason)}`,
  'party.publication_close': (s) =>
    `党内公示结束${s.d.posted !== undefined ? `，${text(s.d.posted)} 条记录记入党员积分账户` : ''}`,
  'party.monthly_base': (s) =>
    `记党员每月基础分${s.d.month ? ` ${text(s.d.month)}` : ''}${s.d.members !== undefined ? `：${text(s.d.members)} 位党员各 ${text(s.d.points)} 分` : ''}`,
  'party.commitment': (s) =>
    `记下党员${s.d.year ? ` ${text(s.d.year)} 年` : ''}的承诺${s.d.promise ? `：${text(s.d.promise)}` : ''}`,
  'party.fulfilment': (s) => `记录党员践诺${s.d.fulfilment ? `：${text(s.d.fulfilment)}` : ''}`,
  'party.link': (s) => `添加党员联系户${s.d.household ? ` ${text(s.d.household)}` : ''}`,
  'bank.lookup': (s) => `凭尾号 ${text(s.d.lastDigits)} 的授权码查看 ${s.entityHousehold()} 的信用等级和积分`,
  'bank.outcome': (s) =>
    `记录 ${s.entityHousehold()} 的贷款结果：${s.d.outcome === 'GRANTED' ? '已放贷' : '未放贷'}（${text(s.d.band)}）`,
  'backup.restore_forced': (s) => `强制恢复备份 ${text(s.d.file)}${because(s.d.reason)}`,
  'seed.history': (s) =>
    `生成${s.village()}演示历史：${text(s.d.months)} 个月，入账记录 ${text(s.d.postedRecords)} 条，兑换 ${text(s.d.redeemedPoints)} 分`,
};

/** Who acted, in words: a staff member's role, a household (and the proxy acting for it), the system. */
/** What a 监督意见 is about: a record (named as elsewhere), a redemption or a stock movement. */
function supervised(s: Say): string {
  const kind = text(s.d.targetType);
  if (kind === 'REDEMPTION') return `第 ${text(s.d.targetId)} 号兑换`;
  if (kind === 'STOCK_MOVEMENT') return `第 ${text(s.d.targetId)} 号出入库记录`;
  return s.record(s.d.recordId ?? s.d.targetId);
}

function actor(row: Row, d: Details, names: AuditNames): { who: string; role: string } {
  const bare = row.actorName.replace(/\([^()]*\)$/, '');
  if (row.actorType === 'USER') {
    const u = row.actorId === null ? undefined : names.users.get(row.actorId);
    return { who: u?.displayName ?? bare, role: u ? roleLabel(u.role) : '工作人员' };
  }
  if (row.actorType === 'HOUSEHOLD') {
    const proxy = d.byProxy as Details | undefined;
    return {
      who: row.actorName,
      role: proxy ? `${ROLE_LABELS.VILLAGER}（代办人 ${text(proxy.name)}）` : ROLE_LABELS.VILLAGER,
    };
  }
  if (row.actorType === 'SYSTEM') return { who: row.actorName, role: '系统自动' };
  return { who: '未登录的访客', role: '未登录' };
}

/** One entry for the page: when (Beijing time), who, and what in a sentence; the stored form behind 原始记录. */
export function presentAuditEntry(row: Row, names: AuditNames): AuditEntryView {
  const d = parse(row.details);
  const say = SENTENCES[row.action];
  return {
    id: row.id,
    time: chinaTimeSeconds(row.createdAt),
    ...actor(row, d, names),
    sentence: say ? say(new Say(d, row, names)) : '其他操作（见原始记录）',
    villageName: (row.villageId !== null && names.villages.get(row.villageId)) || '',
    raw: {
      action: row.action,
      object: row.entityType ? `${row.entityType} #${row.entityId ?? ''}` : '',
      ip: row.ip ?? '',
      details: pretty(row.details),
    },
  };
}

/** The ids a page of entries names, for one look-up per kind. */
export function auditRefs(rows: Row[]): AuditRefs {
  const refs: AuditRefs = {
    households: new Set(),
    goods: new Set(),
    rules: new Set(),
    users: new Set(),
    groups: new Set(),
    records: new Set(),
  };
  const add = (set: Set<number>, v: unknown) => {
    const n = num(v);
    if (n !== undefined) set.add(n);
  };
  for (const row of rows) {
    const d = parse(row.details);
    if (row.actorType === 'USER') add(refs.users, row.actorId);
    if (row.entityType === 'user') add(refs.users, row.entityId);
    if (row.entityType === 'household') add(refs.households, row.entityId);
    if (row.entityType === 'goods') add(refs.goods, row.entityId);
    if (row.entityType === 'rule') add(refs.rules, row.entityId);
    if (row.entityType === 'group') add(refs.groups, row.entityId);
    add(refs.households, d.householdId);
    add(refs.rules, d.ruleId);
    add(refs.groups, d.groupId);
    add(refs.records, d.recordId);
    if (Array.isArray(d.items)) for (const i of d.items as Details[]) add(refs.goods, i.goodsId);
  }
  return refs;
}
