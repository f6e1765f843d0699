import request from 'supertest';
import { AuditLog } from '../../src/audit/audit-log.entity.js';
import { HouseholdMember } from '../../src/households/household-member.entity.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createTestHousehold } from '../support/scoring-fixtures.js';

type County = Awaited<ReturnType<typeof createTestCounty>>;

describe('household members (家庭成员)', () => {
  let t: TestApp;
  let county: County;
  let committee: string;

  const members = (householdId: number, token = committee) =>
    request(t.http).get(`/api/v1/households/${householdId}/members`).set(auth(token));
  const addMember = (householdId: number, body: Record<string, unknown>, token = committee) =>
    request(t.http).post(`/api/v1/households/${householdId}/members`).set(auth(token)).send(body);
  const removeMember = (householdId: number, memberId: number, token = committee) =>
    request(t.http).delete(`/api/v1/households/${householdId}/members/${memberId}`).set(auth(token));
  const names = async (householdId: number) =>
    (await members(householdId)).body.items.map((m: { name: string }) => m.name);
  const villagerToken = async (householdCode: string, pin: string) =>
    (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode, pin })).body
      .token as string;

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    committee = await county.villageAdmin.token();
  });
  afterAll(() => t.close());

  it('should add members with 201 and list them in order to staff of the village and to the household itself', async () => {
    const h = await createTestHousehold(t, committee, county.village.id, { pin: '112233' });
    const head = await addMember(h.id, { name: '李大山', relation: '户主', partyMember: true });
    expect(head.status).toBe(201);
    expect(head.body).toEqual({
      id: expect.any(Number),
      householdId: h.id,
      name: '李大山',
      relation: '户主',
      partyMember: true,
      createdAt: expect.any(String),
    });
    const child = await addMember(h.id, { name: '  李小花 ', relation: '子女' });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ name: '李小花', partyMember: false });

    const list = await members(h.id, await county.clerk.token());
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      total: 2,
      items: [
        expect.objectContaining({ name: '李大山', relation: '户主', partyMember: true }),
        expect.objectContaining({ name: '李小花', relation: '子女', partyMember: false }),
      ],
    });
    expect((await members(h.id, await county.townshipUser.token())).status).toBe(200);
    const own = await members(h.id, await villagerToken(h.code, '112233'));
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(2);
  });

  it('should refuse a member without a name, with an unknown relation or a party flag that is not yes/no, in Chinese', async () => {
    const h = await createTestHousehold(t, committee, county.village.id);
    const res = await addMember(h.id, { name: ' ', relation: '表哥', partyMember: '是' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: {
        name: '请填写姓名',
        relation: '请选择与户主的关系',
        partyMember: '是否党员应为 true 或 false',
      },
    });
    const tooLong = await addMember(h.id, { name: '长'.repeat(41), relation: '其他' });
    expect(tooLong.body.error.details).toEqual({ name: '姓名最多 40 个字' });
    expect(await names(h.id)).toEqual([]);
    expect((await addMember(999_999, { name: '无户', relation: '其他' })).status).toBe(404);
  });

  it('should remove a member with 200, and answer 404 for a member of another household', async () => {
    const h = await createTestHousehold(t, committee, county.village.id);
    const other = await createTestHousehold(t, committee, county.village.id);
    const stays = (await addMember(h.id, { name: '王秀英', relation: '配偶' })).body;
    const goes = (await addMember(h.id, { name: '王小军', relation: '子女' })).body;
    const elsewhere = (await addMember(other.id, { name: '赵四', relation: '父母' })).body;

    const removed = await removeMember(h.id, goes.id);
    expect(removed.status).toBe(200);
    expect(await names(h.id)).toEqual(['王秀英']);
    expect((await removeMember(h.id, goes.id)).status).toBe(404);
    const wrongHousehold = await removeMember(h.id, elsewhere.id);
    expect(wrongHousehold.status).toBe(404);
    expect(wrongHousehold.body.error.code).toBe('NOT_FOUND');
    expect(await names(other.id)).toEqual(['赵四']);
    expect(stays.id).toBeGreaterThan(0);
  });

  it("should keep members to the committee of the household's village: others get 403 and nothing changes", async () => {
    const h = await createTestHousehold(t, committee, county.village.id, { pin: '445566' });
    const member = (await addMember(h.id, { name: '孙桂兰', relation: '父母' })).body;
    const neighbour = await county.neighbourAdmin.token();
    expect((await addMember(h.id, { name: '外人', relation: '其他' }, neighbour)).status).toBe(403);
    expect((await removeMember(h.id, member.id, neighbour)).status).toBe(403);
    expect((await members(h.id, neighbour)).status).toBe(403);
    const scorer = await county.scorer.token();
    expect((await addMember(h.id, { name: '组长加的', relation: '其他' }, scorer)).status).toBe(403);
    expect((await removeMember(h.id, member.id, scorer)).status).toBe(403);
    const villager = await villagerToken(h.code, '445566');
    expect((await addMember(h.id, { name: '自己加的', relation: '其他' }, villager)).status).toBe(403);
    const someoneElse = await createTestHousehold(t, committee, county.village.id);
    expect((await members(someoneElse.id, villager)).status).toBe(403);
    expect(await names(h.id)).toEqual(['孙桂兰']);
  });

  it('should write an audit row for each member added and removed, naming who and whom', async () => {
    const h = await createTestHousehold(t, committee, county.village.id);
    const member = (await addMember(h.id, { name: '周志强', relation: '子女', partyMember: true })).body;
    await removeMember(h.id, member.id);
    const rows = await t.dataSource.getRepository(AuditLog).find({
      where: { entityType: 'household', entityId: h.id },
      order: { id: 'ASC' },
    });
    expect(rows.map((r) => r.action)).toEqual(['household.create', 'member.add', 'member.remove']);
    for (const row of rows.slice(1)) {
      expect(row).toMatchObject({
        actorType: 'USER',
        actorId: county.villageAdmin.id,
        villageId: county.village.id,
        townshipId: county.township.id,
      });
    }
    expect(JSON.parse(rows[1].details as string)).toEqual({
      name: '周志强',
      relation: '子女',
      partyMember: true,
    });
    expect(JSON.parse(rows[2].details as string)).toEqual({ name: '周志强', relation: '子女' });
    expect(await t.dataSource.getRepository(HouseholdMember).countBy({ householdId: h.id })).toBe(0);
  });

  it('should add and remove members on the household page without JavaScript', async () => {
    const h = await createTestHousehold(t, committee, county.village.id, { headName: '吴建国' });
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/households/${h.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('家庭成员');
    expect(page.text).toContain('还没有登记家庭成员');

    const refused = await agent
      .post(`/households/${h.id}/members`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), memberName: '', relation: '户主' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('请填写姓名');

    const added = await agent
      .post(`/households/${h.id}/members`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), memberName: '吴小梅', relation: '子女', partyMember: 'true' });
    expect(added.status).toBe(303);
    const shown = await agent.get(`/households/${h.id}`);
    expect(shown.text).toContain('已添加家庭成员 吴小梅');
    expect(shown.text).toMatch(/<td>吴小梅<\/td>\s*<td>子女<\/td>\s*<td>是<\/td>/);

    const [member] = (await members(h.id)).body.items as { id: number }[];
    const removeAction = `/households/${h.id}/members/${member.id}/remove`;
    expect(shown.text).toContain(`action="${removeAction}"`);
    const removed = await agent
      .post(removeAction)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text) });
    expect(removed.status).toBe(303);
    const after = await agent.get(`/households/${h.id}`);
    expect(after.text).toContain('已移除家庭成员');
    expect(after.text).not.toContain('<td>吴小梅</td>');

    await addMember(h.id, { name: '吴老汉', relation: '父母' });
    const scorer = await loggedIn(t, county.scorer.username, TEST_PASSWORD);
    const seen = await scorer.get(`/households/${h.id}`);
    expect(seen.text).toContain('<td>吴老汉</td>');
    expect(seen.text).not.toContain('添加成员');
    expect(seen.text).not.toContain('/remove"');
  });
});
