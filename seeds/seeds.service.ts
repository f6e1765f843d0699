import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StaffActor } from '../src/access/actor.js';
import { SYSTEM, AuditService } from '../src/audit/audit.service.js';
import { staffActor } from '../src/auth/auth.service.js';
import { hashSecret } from '../src/auth/password.js';
import { Clock } from '../src/common/clock.js';
import { addDays } from '../src/common/dates.js';
import { currentPeriod } from '../src/common/periods.js';
import { Settings } from '../src/config/settings.js';
import { Transactions } from '../src/database/transactions.js';
import { HonoursService } from '../src/honours/honours.service.js';
import { householdCode } from '../src/households/household-code.js';
import { Household } from '../src/households/household.entity.js';
import { ScoringRuleVersion } from '../src/rules/scoring-rule-version.entity.js';
import { ScoringRule } from '../src/rules/scoring-rule.entity.js';
import { Goods } from '../src/supermarket/goods.entity.js';
import { GoodsService } from '../src/supermarket/goods.service.js';
import { MonthlyStatementsService } from '../src/supermarket/monthly-statements.service.js';
import { Township } from '../src/townships/township.entity.js';
import { User } from '../src/users/user.entity.js';
import { UsersService } from '../src/users/users.service.js';
import { Group } from '../src/villages/group.entity.js';
import { Village } from '../src/villages/village.entity.js';
import { DEMO_GOODS } from './demo-goods.js';
import { DemoParty } from './demo-party.js';
import { DemoHistory, demoShelfOpenedAt } from './demo-history.js';
import { DEMO_RULES } from './demo-rules.js';
import {
  DEMO_HOUSEHOLDS,
  DEMO_PASSWORD,
  DEMO_PIN,
  DEMO_STAFF,
  DEMO_TOWNSHIP,
  DEMO_VILLAGES,
} from './demo-county.js';

/** Runs at start: the first admin when there is no user, then (SEED=demo) whatever of the demo county is missing. */
@Injectable()
export class SeedsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seeds');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: Settings,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly goods: GoodsService,
    private readonly users: UsersService,
    private readonly history: DemoHistory,
    private readonly clock: Clock,
    private readonly statements: MonthlyStatementsService,
    private readonly honours: HonoursService,
    private readonly party: DemoParty,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
    if (this.settings.seed === 'demo') {
      await this.ensureDemoCounty();
      if (this.settings.demoHistory === 'on') await this.history.ensure(DEMO_VILLAGES.map((v) => v.code));
      await this.ensureDemoProcedures();
      await this.party.ensure();
    }
  }

  /**
   * 桃源村's village procedures, so that each role has something to see: last month's supermarket statement signed by
   * its supervision committee (柳河村 and 石桥村 left unsigned: the township's to-do shows them after the 5th), and this
   * year's 星级文明户 campaign open with two nominations waiting for the council's vote. Only what is missing.
   */
  private async ensureDemoProcedures(): Promise<void> {
    const village = await this.dataSource.getRepository(Village).findOneByOrFail({ code: 'TY' });
    const user = (username: string) =>
      this.dataSource
        .getRepository(User)
        .findOneByOrFail({ username })
        .then((u) => staffActor(u, null));
    const today = this.clock.today();
    const lastMonth = currentPeriod('month', addDays(currentPeriod('month', today).start, -1));
    const supervisor = await user('ty_jiandu');
    const statement = await this.statements.statement(supervisor, village.id, lastMonth);
    if (statement.status !== 'SIGNED') await this.statements.sign(supervisor, statement.id);

    const year = Number(today.slice(0, 4));
    const title = `${year}年星级文明户评选`;
    const committee = await user('ty_admin');
    if ((await this.honours.ofVillage(committee, village.id)).some((c) => c.title === title)) return;
    const campaign = await this.honours.create(committee, {
      villageId: village.id,
      year,
      title,
      stars: [
        { name: '勤劳节俭', category: '人居环境', minPoints: 10 },
        { name: '孝敬和睦', category: '德治', minPoints: 10, needsCouncil: true },
        { name: '诚信友善', needsCouncil: true },
      ],
    });
    const households = await this.dataSource
      .getRepository(Household)
      .find({ where: { villageId: village.id }, order: { code: 'ASC' }, take: 3 });
    const [filial, honest] = [campaign.stars[1].id, campaign.stars[2].id];
    if (households[1])
      await this.honours.nominate(committee, campaign.id, {
        householdId: households[1].id,
        starId: filial,
        reason: '照顾瘫痪的婆婆多年，邻里称道',
      });
    if (households[2])
      await this.honours.nominate(committee, campaign.id, {
        householdId: households[2].id,
        starId: honest,
        reason: '拾到邻村村民的钱包，原物奉还',
      });
  }

  /**
   * ADMIN_USERNAME/ADMIN_PASSWORD when given. Otherwise `admin` with the README's demo password under SEED=demo
   * (so the demo can be tried at once), or a random password printed once to the log.
   */
  async ensureFirstAdmin(): Promise<void> {
    if ((await this.dataSource.getRepository(User).count()) > 0) return;
    const username = this.settings.adminUsername ?? 'admin';
    const given = this.settings.adminPassword;
    const password =
      given ?? (this.settings.seed === 'demo' ? DEMO_PASSWORD : randomBytes(9).toString('base64url'));
    const passwordHash = await hashSecret(password);
    await this.transactions.run(async (manager) => {
      if ((await manager.count(User)) > 0) return;
      const user = await manager.save(
        manager.create(User, { username, passwordHash, displayName: '系统管理员', role: 'ADMIN' }),
      );
      await this.audit.record(
        SYSTEM,
        {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          details: { username, role: 'ADMIN' },
        },
        manager,
      );
    });
    if (!given) {
      this.logger.warn(`已创建首个管理员 ${username}，密码：${password}（仅显示这一次，请登录后立即修改）`);
    }
  }

  /**
   * The places, households and rule lists are inserted here; the staff accounts and the supermarket shelves are made
   * by the admin and the clerks through the services, as on the pages.
   */
  async ensureDemoCounty(): Promise<void> {
    const pinHash = await hashSecret(DEMO_PIN);
    const township = await this.transactions.run(async (manager) => {
      const township = await this.findOrInsert(
        manager,
        Township,
        { code: DEMO_TOWNSHIP.code },
        DEMO_TOWNSHIP,
      );
      const villages = new Map<string, Village>();
      for (const spec of DEMO_VILLAGES) {
        const village = await this.findOrInsert(
          manager,
          Village,
          { code: spec.code },
          { townshipId: township.id, name: spec.name, code: spec.code },
        );
        villages.set(spec.code, village);
        const groups: Group[] = [];
        for (const [i, name] of spec.groups.entries()) {
          groups.push(
            await this.findOrInsert(
              manager,
              Group,
              { villageId: village.id, name },
              { villageId: village.id, name, sortOrder: i + 1 },
            ),
          );
        }
        for (const [i, h] of (DEMO_HOUSEHOLDS[spec.code] ?? []).entries()) {
          const code = householdCode(spec.code, i + 1);
          await this.findOrInsert(
            manager,
            Household,
            { code },
            {
              code,
              villageId: village.id,
              groupId: groups[i % groups.length].id,
              headName: h.headName,
              memberCount: h.memberCount,
              pinHash,
            },
          );
        }
        const used = (DEMO_HOUSEHOLDS[spec.code] ?? []).length;
        if (village.householdSeq < used) await manager.update(Village, village.id, { householdSeq: used });
      }
      await this.ensureRules(manager, { townshipId: township.id, villageId: null });
      for (const village of villages.values())
        await this.ensureRules(manager, { townshipId: null, villageId: village.id });
      return township;
    });
    const users = this.dataSource.getRepository(User);
    const admin = await users.findOneByOrFail({ role: 'ADMIN' });
    await Promise.all(
      DEMO_STAFF.map(async (staff) => {
        if (await users.existsBy({ username: staff.username })) return;
        const village = staff.village
          ? await this.dataSource.getRepository(Village).findOneByOrFail({ code: staff.village })
          : undefined;
        await this.users.create(staffActor(admin, null), {
          username: staff.username,
          password: DEMO_PASSWORD,
          displayName: staff.displayName,
          role: staff.role,
          townshipId: township.id,
          villageId: village?.id,
          householdCode: staff.household,
          noHousehold: staff.noHousehold,
        });
      }),
    );
    // The shelves are dated before the history's first month (whether or not the history is loaded): goods whose
    // first stock came after the redemptions of their history would open every past month's stock report below zero.
    const shelfOpenedAt = demoShelfOpenedAt(this.clock.today());
    try {
      for (const spec of DEMO_VILLAGES) {
        const village = await this.dataSource.getRepository(Village).findOneByOrFail({ code: spec.code });
        const clerk = DEMO_STAFF.find((s) => s.village === spec.code && s.role === 'CLERK');
        const by = await users.findOneByOrFail(clerk ? { username: clerk.username } : { id: admin.id });
        this.clock.stopAt(shelfOpenedAt);
        await this.ensureGoods(staffActor(by, null), village.id);
      }
    } finally {
      this.clock.stopAt(null);
    }
  }

  /**
   * The supermarket shelf of a demo village, put up by its clerk: the first stock, and what was donated (with the
   * clock where the caller stopped it).
   */
  private async ensureGoods(clerk: StaffActor, villageId: number): Promise<void> {
    for (const spec of DEMO_GOODS) {
      if (await this.dataSource.getRepository(Goods).existsBy({ villageId, name: spec.name })) continue;
      const goods = await this.goods.create(clerk, {
        villageId,
        name: spec.name,
        unit: spec.unit,
        pricePoints: spec.pricePoints,
        stock: spec.stock,
        lowStockThreshold: spec.lowStockThreshold,
        monthlyLimit: spec.monthlyLimit,
      });
      if (spec.donation)
        await this.goods.stockIn(clerk, goods.id, {
          quantity: spec.donation.quantity,
          source: 'DONATION',
          donor: spec.donation.donor,
        });
    }
  }

  /** The demo rule list for a village, or as the township's template list (villageId null). */
  private async ensureRules(
    manager: EntityManager,
    owner: { townshipId: number | null; villageId: number | null },
  ): Promise<void> {
    for (const spec of DEMO_RULES) {
      const where = owner.villageId
        ? { villageId: owner.villageId, code: spec.code }
        : { townshipId: owner.townshipId as number, code: spec.code };
      if (await manager.existsBy(ScoringRule, where)) continue;
      const min = spec.points ?? (spec.minPoints as number);
      const max = spec.points ?? (spec.maxPoints as number);
      const rule = await manager.save(
        manager.create(ScoringRule, {
          ...owner,
          code: spec.code,
          category: spec.category,
          title: spec.title,
          minPoints: min,
          maxPoints: max,
          capCount: spec.capCount ?? null,
          capPeriod: spec.capPeriod ?? null,
          evidenceRequired: spec.evidenceRequired ?? false,
          blackList: spec.blackList ?? false,
        }),
      );
      await manager.insert(ScoringRuleVersion, {
        ruleId: rule.id,
        version: 1,
        title: rule.title,
        minPoints: min,
        maxPoints: max,
      });
    }
  }

  private async findOrInsert<T extends object>(
    manager: EntityManager,
    entity: new () => T,
    where: Partial<T>,
    values: Partial<T>,
  ): Promise<T> {
    const found = await manager.findOneBy(entity, where as never);
    if (found) return found;
    return manager.save(manager.create(entity, values as never));
  }
}
