import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { Settings } from '../config/settings.js';
import { raw } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  consentCodeHash,
  consentExpiresOn,
  consentState,
  MAX_LIVE_CONSENTS,
  newConsentCode,
  normaliseConsentCode,
  type ConsentState,
  type LoanBand,
  type LoanOutcome as Outcome,
} from './consent-code.js';
import { ConsentCode } from './consent-code.entity.js';
import { ConsentUse } from './consent-use.entity.js';
import { LoanOutcome } from './loan-outcome.entity.js';

/** A code as its household sees it: the last two digits, until when, its state, and every use by a bank. */
export interface ConsentLine {
  id: number;
  lastDigits: string;
  createdAt: Date;
  expiresOn: string;
  state: ConsentState;
  madeByCommittee: boolean;
  uses: { at: Date; by: string; kind: ConsentUse['kind'] }[];
  outcome: { outcome: Outcome; band: LoanBand; recordedOn: string } | null;
}

/** Tries to draw a code no live code has: with at most a few thousand live codes, one draw nearly always does. */
const DRAWS = 20;

/**
 * 授权码: a household (or its committee, at its request) makes a six-digit code that lets a bank's loan officer see its
 * grade and points for 30 days, and may revoke it at any time. The code is shown once; only a keyed hash is kept.
 */
@Injectable()
export class ConsentCodesService {
  private readonly key: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    settings: Settings,
  ) {
    // A key of its own, derived from the server secret, as certificates have.
    this.key = createHash('sha256').update(`consent-code:${settings.sessionSecret}`).digest('hex');
  }

  hash(code: string): string {
    return consentCodeHash(this.key, code);
  }

  /** Makes a code for the household; the answer is the only time the digits are seen. */
  async create(actor: Actor, householdId: number): Promise<{ id: number; code: string; expiresOn: string }> {
    await this.assertMayManage(actor, householdId);
    return this.transactions.run(async (manager) => {
      // Two clicks at once wait here, so the cap below counts the first one's code.
      const household = await this.households.lockIn(manager, householdId);
      if (!household) throw DomainError.notFound('农户');
      if (household.status !== 'ACTIVE')
        throw new DomainError('INVALID_STATE', '已迁出的农户不能再授权银行查询');
      const today = this.clock.today();
      const [{ n }] = await raw<{ n: number | string }>(
        manager,
        `SELECT COUNT(*) AS n FROM consent_code WHERE "householdId" = $1 AND status = 'ACTIVE' AND "expiresOn" >= $2`,
        [householdId, today],
      );
      if (Number(n) >= MAX_LIVE_CONSENTS)
        throw new DomainError(
          'CAP_REACHED',
          `每户最多同时有 ${MAX_LIVE_CONSENTS} 个有效的授权码，请先撤销不再用的`,
        );
      const code = await this.drawUnused(manager, today);
      const expiresOn = consentExpiresOn(today);
      const consent = await manager.save(
        manager.create(ConsentCode, {
          householdId,
          villageId: household.villageId,
          codeHash: this.hash(code),
          lastDigits: code.slice(-2),
          expiresOn,
          status: 'ACTIVE',
          madeByUserId: actor.kind === 'user' ? actor.id : null,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'consent.create',
          entityType: 'household',
          entityId: householdId,
          villageId: household.villageId,
          details: { consentId: consent.id, lastDigits: consent.lastDigits, expiresOn },
        },
        manager,
      );
      return { id: consent.id, code, expiresOn };
    });
  }

  /** Revokes one of the household's codes, named by its id (pages) or its digits (the API). */
  async revoke(
    actor: Actor,
    householdId: number,
    which: { id: number } | { code: string },
  ): Promise<ConsentCode> {
    await this.assertMayManage(actor, householdId);
    const repo = this.dataSource.getRepository(ConsentCode);
    let consent: ConsentCode | null;
    if ('id' in which) consent = await repo.findOneBy({ id: which.id, householdId });
    else {
      const code = normaliseConsentCode(which.code);
      consent = code
        ? await repo.findOne({
            where: { householdId, codeHash: this.hash(code) },
            order: { status: 'ASC', id: 'DESC' },
          })
        : null;
    }
    if (!consent) throw DomainError.notFound('授权码');
    const found = consent;
    return this.transactions.run(async (manager) => {
      const done = await manager
        .createQueryBuilder()
        .update(ConsentCode)
        .set({ status: 'REVOKED', revokedAt: this.clock.now() })
        .where("id = :id AND status = 'ACTIVE'", { id: found.id })
        .execute();
      if (done.affected !== 1) throw new DomainError('INVALID_STATE', '这个授权码已经撤销了');
      await this.audit.record(
        actor,
        {
          action: 'consent.revoke',
          entityType: 'household',
          entityId: householdId,
          villageId: found.villageId,
          details: { consentId: found.id, lastDigits: found.lastDigits },
        },
        manager,
      );
      return manager.findOneByOrFail(ConsentCode, { id: found.id });
    });
  }

  /** The household's codes, newest first, each with every use a bank made of it and the outcome recorded. */
  async ofHousehold(householdId: number, limit = 20): Promise<ConsentLine[]> {
    const codes = await this.dataSource
      .getRepository(ConsentCode)
      .find({ where: { householdId }, order: { id: 'DESC' }, take: limit });
    if (codes.length === 0) return [];
    const ids = codes.map((c) => c.id);
    const [uses, outcomes] = await Promise.all([
      this.dataSource
        .getRepository(ConsentUse)
        .find({ where: { consentId: In(ids) }, order: { id: 'DESC' } }),
      this.dataSource.getRepository(LoanOutcome).find({ where: { consentId: In(ids) } }),
    ]);
    const today = this.clock.today();
    return codes.map((c) => {
      const outcome = outcomes.find((o) => o.consentId === c.id);
      return {
        id: c.id,
        lastDigits: c.lastDigits,
        createdAt: c.createdAt,
        expiresOn: c.expiresOn,
        state: consentState(c, today),
        madeByCommittee: c.madeByUserId !== null,
        uses: uses
          .filter((u) => u.consentId === c.id)
          .map((u) => ({ at: u.createdAt, by: u.bankUserName, kind: u.kind })),
        outcome: outcome
          ? { outcome: outcome.outcome, band: outcome.band, recordedOn: outcome.recordedOn }
          : null,
      };
    });
  }

  /** The household itself, or the committee of its village (the route's permission says which may). */
  private async assertMayManage(actor: Actor, householdId: number): Promise<void> {
    if (actor.kind === 'household') {
      if (actor.id !== householdId) throw DomainError.forbidden('只能为自家生成授权码');
      return;
    }
    const villageId = await this.households.villageOf(householdId);
    if (villageId === null) throw DomainError.notFound('农户');
    const village = await this.villages.getIn(this.dataSource.manager, villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId });
  }

  /** Six digits no live code has (codes are found by their digits alone, so two live ones must differ). */
  private async drawUnused(manager: EntityManager, today: string): Promise<string> {
    for (let i = 0; i < DRAWS; i++) {
      const code = newConsentCode();
      const [taken] = await raw(
        manager,
        `SELECT id FROM consent_code WHERE "codeHash" = $1 AND status = 'ACTIVE' AND "expiresOn" >= $2`,
        [this.hash(code), today],
      );
      if (!taken) return code;
    }
    throw new DomainError('INTERNAL', '暂时无法生成授权码，请稍后再试');
  }
}
