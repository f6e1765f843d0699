import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { staffActor } from '../src/auth/auth.service.js';
import { Clock } from '../src/common/clock.js';
import { HouseholdMember } from '../src/households/household-member.entity.js';
import { HouseholdMembersService } from '../src/households/household-members.service.js';
import { Household } from '../src/households/household.entity.js';
import { PartyMember } from '../src/party/party-member.entity.js';
import { PartyRule } from '../src/party/party-rule.entity.js';
import type { PartyCategory } from '../src/party/party-rule.entity.js';
import { PartyService } from '../src/party/party.service.js';
import { User } from '../src/users/user.entity.js';
import { Village } from '../src/villages/village.entity.js';
import { DEMO_PIN } from './demo-county.js';

/** 桃源村党支部's demo rule list: a few lines under each of the four headings, and a monthly base of 5. */
const PARTY_RULES: { category: PartyCategory; title: string; points: number; min?: number; max?: number }[] =
  [
    { category: 'ORGANISATION', title: '按时参加“三会一课”', points: 5 },
    { category: 'ORGANISATION', title: '无故缺席组织生活', points: -5 },
    { category: 'DUTY', title: '按时足额交纳党费', points: 3 },
    { category: 'SERVICE', title: '走访联系农户，帮办实事', points: 5, min: 2, max: 10 },
    { category: 'ROLE', title: '在急难险重任务中带头', points: 10, min: 5, max: 20 },
  ];

/** The party members of the demo: a member of each of these households, by name, with DEMO_PIN as their PIN. */
const PARTY_MEMBERS = [
  { household: 'TY-0001', name: '李大山' },
  { household: 'TY-0006', name: '杨春花' },
];

/**
 * 桃源村's party branch in the demo (issue 22): its rules and settings, two members marked 党员 and registered (logins
 * `ty-0001-dy1` and `ty-0006-dy1`, PIN as households'), last month's base posted, one record waiting for the second branch member.
 * Only what is missing is made, through the services.
 */
@Injectable()
export class DemoParty {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly party: PartyService,
    private readonly members: HouseholdMembersService,
    private readonly clock: Clock,
  ) {}

  async ensure(): Promise<void> {
    const village = await this.dataSource.getRepository(Village).findOneBy({ code: 'TY' });
    const branch = await this.dataSource.getRepository(User).findOneBy({ username: 'ty_party' });
    if (!village || !branch) return;
    const actor = staffActor(branch, null);
    const rules = await this.dataSource.getRepository(PartyRule).findBy({ villageId: village.id });
    for (const spec of PARTY_RULES.filter((r) => !rules.some((x) => x.title === r.title)))
      await this.party.createRule(actor, {
        villageId: village.id,
        category: spec.category,
        title: spec.title,
        points: spec.points,
        minPoints: spec.min,
        maxPoints: spec.max,
      });
    if ((await this.party.settingsOf(village.id)).monthlyBase === null)
      await this.party.setSettings(actor, village.id, { monthlyBase: 5, starThresholds: '20,40,60,80,100' });
    for (const spec of PARTY_MEMBERS) {
      const household = await this.dataSource.getRepository(Household).findOneBy({ code: spec.household });
      if (!household) continue;
      const person =
        (await this.dataSource
          .getRepository(HouseholdMember)
          .findOneBy({ householdId: household.id, name: spec.name })) ??
        (await this.members.add(actor, household.id, {
          name: spec.name,
          relation: '户主',
          partyMember: true,
        }));
      if (await this.dataSource.getRepository(PartyMember).existsBy({ memberId: person.id })) continue;
      const member = await this.party.register(actor, { memberId: person.id, pin: DEMO_PIN });
      const rule = (await this.party.rules(village.id)).find((r) => r.category === 'SERVICE');
      if (rule)
        await this.party.record(actor, {
          partyMemberId: member.id,
          ruleId: rule.id,
          occurredOn: this.clock.today(),
          points: rule.points,
        });
    }
    const lastMonth = new Date(`${this.clock.today().slice(0, 7)}-01T00:00:00Z`);
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
    await this.party.postMonthlyBase(actor, village.id, lastMonth.toISOString().slice(0, 7));
  }
}
