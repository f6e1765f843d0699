import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_LABELS, STAFF_ROLES } from '../access/role.js';
import { ACTION_LABELS } from './action-labels.js';
import type { AuditLog } from './audit-log.entity.js';
import { presentAuditEntry, SENTENCES, type AuditNames } from './audit-log.presenter.js';

/**
 * Dotted lower-case strings in the files that write to the audit log which are not actions: SQL column references
 * and a job or file name. A new one that is not an action goes here, with what it is.
 */
const NOT_ACTIONS = new Set([
  'rule.code', // publications.service.ts: a query builder's column
  'supermarket.points-reset', // points-reset.service.ts: the scheduled job's name
  'check.db', // backup.cli.ts: a scratch file
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Every action string the code can record (src/, and seeds/ for the demo's rows): the dotted literals of each file
 * that uses the AuditService.
 */
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  const files = ['src', 'seeds'].flatMap((dir) => sourceFiles(join(process.cwd(), dir)));
  for (const file of files) {
    if (file.includes(join('src', 'audit'))) continue;
    const source = readFileSync(file, 'utf8');
    if (!source.includes('AuditService')) continue;
    for (const [, action] of source.matchAll(/['"`]([a-z]{2,}\.[a-z][a-z_-]*)['"`]/g))
      if (!NOT_ACTIONS.has(action)) found.set(action, file.slice(process.cwd().length + 1));
  }
  return found;
}

/** Any staff role: the role shows in words. */
const role = STAFF_ROLES[STAFF_ROLES.length - 1];

const names: AuditNames = {
  households: new Map([
    [7, { code: 'XH-0012', headName: '张三' }],
    [8, { code: 'XH-0013', headName: '李四' }],
  ]),
  goods: new Map([[3, '洗衣粉']]),
  rules: new Map([[5, { code: 'A01', title: '拾金不昧' }]]),
  users: new Map([[2, { displayName: '王会计', username: 'wang', role }]]),
  groups: new Map([[4, '第一组']]),
  villages: new Map([[1, '杏花村']]),
  townships: new Map([[9, '青山镇']]),
  records: new Map([[45, { householdId: 7, ruleId: 5 }]]),
};

function row(action: string, details: object | null, more: Partial<AuditLog> = {}): AuditLog {
  return {
    id: 1,
    createdAt: new Date('2026-12-03T13:51:14.845Z'),
    actorType: 'USER',
    actorId: 2,
    actorName: '王会计(wang)',
    action,
    entityType: null,
    entityId: null,
    townshipId: 9,
    villageId: 1,
    details: details === null ? null : JSON.stringify(details),
    ip: '10.0.0.8',
    chainSeq: null,
    prevHash: null,
    hash: null,
    ...more,
  };
}

describe('the audit log in words', () => {
  const actions = recordedActions();

  it('should find the actions the code records when it scans src/ and seeds/', () => {
    expect(actions.size).toBeGreaterThan(60);
    expect(actions.get('household.import')).toBe('src/households/household-sheets.service.ts');
    expect(actions.has('objection.uphold_revoke')).toBe(true);
    expect(actions.get('seed.history')).toBe('seeds/demo-history.ts');
  });

  it('should have a label and a sentence for every action recorded anywhere in src/ or seeds/', () => {
    const missing = [...actions]
      .filter(([action]) => !ACTION_LABELS[action] || !SENTENCES[action])
      .map(([action, file]) => `${action} (${file})`);
    expect(missing).toEqual([]);
  });

  it('should say each action in Chinese without its code or JSON when its details are empty', () => {
    for (const action of actions.keys()) {
      const view = presentAuditEntry(row(action, {}, { entityId: 7 }), names);
      expect(ACTION_LABELS[action]).toMatch(/[\u4e00-\u9fff]/);
      expect(view.sentence).toMatch(/[\u4e00-\u9fff]/);
      expect(`${ACTION_LABELS[action]} ${view.sentence}`).not.toContain(action);
      expect(view.sentence).not.toMatch(/[{}[\]"]|undefined|null|NaN/);
    }
  });

  it('should name the households imported, in Beijing time, with the role in words', () => {
    const view = presentAuditEntry(
      row('household.import', { count: 2, first: 'XH-0012', last: 'XH-0013', pins: 2, file: 'abc' }),
      names,
    );
    expect(view).toMatchObject({
      time: '2026-12-03 21:51:14',
      who: '王会计',
      role: ROLE_LABELS[role],
      sentence: '导入农户 2 户：XH-0012 至 XH-0013',
      villageName: '杏花村',
    });
    expect(view.raw.action).toBe('household.import');
    expect(view.raw.details).toContain('"file": "abc"');
  });

  it('should name the goods, the household and the rule behind ids', () => {
    const say = (action: string, details: object, more: Partial<AuditLog> = {}) =>
      presentAuditEntry(row(action, details, more), names).sentence;
    expect(
      say('redemption.create', {
        receiptNo: 'R-1',
        householdId: 7,
        totalPoints: 30,
        items: [{ goodsId: 3, quantity: 2 }],
      }),
    ).toBe('XH-0012 张三家 兑换 “洗衣粉”×2，共 30 分（小票 R-1）');
    expect(
      say(
        'score.approve',
        { householdId: 7, ruleId: 5, points: 5, occurredOn: '2026-11-03' },
        { entityId: 45 },
      ),
    ).toBe('审核通过 XH-0012 张三家 的第 45 号记录：“A01 拾金不昧” +5 分（2026-11-03）');
    expect(say('objection.file', { recordId: 45, reason: '没有这回事' })).toBe(
      '对第 45 号记录（XH-0012 张三家，“A01 拾金不昧”）提出异议，理由：没有这回事',
    );
    expect(
      say('objection.file', {
        recordId: 45,
        reason: '没有这回事',
        onBehalfOf: { householdId: 8, household: 'XH-0013 李四家' },
        toldBy: '李四',
      }),
    ).toBe(
      '代 XH-0013 李四家 登记（李四 来反映）：对第 45 号记录（XH-0012 张三家，“A01 拾金不昧”）提出异议，理由：没有这回事',
    );
    expect(
      say('goods.stock-in', { quantity: 10, source: 'DONATION', donor: '李老板' }, { entityId: 3 }),
    ).toBe('“洗衣粉”入库 10 件（捐赠：李老板）');
    expect(say('ranking.submit', { period: '2026-11', households: 13 })).toBe(
      '提交2026年11月排名给乡镇审核（13 户）',
    );
  });

  it('should show a household acting through its proxy, the system and a visitor in words', () => {
    const household = presentAuditEntry(
      row(
        'score.declare',
        { householdId: 7, ruleId: 5, points: 5, byProxy: { id: 1, name: '张小三' } },
        {
          actorType: 'HOUSEHOLD',
          actorId: 7,
          actorName: '张三(XH-0012)',
        },
      ),
      names,
    );
    expect(household.role).toBe('村民（代办人 张小三）');
    const system = presentAuditEntry(
      row(
        'publication.close',
        { postedRecordIds: [1, 2, 3] },
        { actorType: 'SYSTEM', actorId: null, actorName: '系统', entityId: 6 },
      ),
      names,
    );
    expect([system.who, system.role, system.sentence]).toEqual([
      '系统',
      '系统自动',
      '第 6 号公示结束，3 条记录入账',
    ]);
    const visitor = presentAuditEntry(
      row('auth.login_failed', null, { actorType: 'ANONYMOUS', actorId: null, actorName: 'nobody' }),
      names,
    );
    expect([visitor.who, visitor.sentence]).toEqual([
      '未登录的访客',
      '用账号“nobody”登录，密码不对或账号不存在',
    ]);
  });

  it('should show an action it does not know as 其他操作, its code kept behind 原始记录', () => {
    const view = presentAuditEntry(row('old.thing', { a: 1 }), names);
    expect([view.sentence, view.raw.action]).toEqual(['其他操作（见原始记录）', 'old.thing']);
  });
});
