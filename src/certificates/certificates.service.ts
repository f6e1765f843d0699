import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { Settings } from '../config/settings.js';
import { CreditGradesService } from '../credit/credit-grades.service.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { parsePeriod, type Period } from '../common/periods.js';
import { RankingsService } from '../rankings/rankings.service.js';
import { StarsService } from '../rankings/stars.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { newCertificateCode, normaliseCode, sign, signatureMatches } from './certificate-code.js';
import { CertificatePayload, CreditCertificate } from './credit-certificate.entity.js';
import { standingGrade } from './household-grade.js';

export type VerifyStatus = 'VALID' | 'ALTERED' | 'REVOKED' | 'NOT_FOUND';

export function certificateView(c: CreditCertificate) {
  return {
    id: c.id,
    code: c.code,
    householdId: c.householdId,
    status: c.status,
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt,
    revokeReason: c.revokeReason,
    ...(JSON.parse(c.payloadJson) as CertificatePayload),
  };
}

/** 积分证明: issued by the committee from the live numbers, signed, checked by anyone at /verify/:code, revocable. */
@Injectable()
export class CertificatesService {
  private readonly key: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly rankings: RankingsService,
    private readonly stars: StarsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly grades: CreditGradesService,
    settings: Settings,
  ) {
    // A key of its own, derived from the server secret: certificates outlive sessions but share the secret's care.
    this.key = createHash('sha256').update(`credit-certificate:${settings.sessionSecret}`).digest('hex');
  }

  async issue(actor: Actor, householdId: number, purpose?: string): Promise<CreditCertificate> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const household = await this.households.findIn(this.dataSource.manager, householdId);
    if (!household) throw DomainError.notFound('农户');
    const village = await this.villages.getIn(this.dataSource.manager, household.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    const today = this.clock.today();
    const year = Number(today.slice(0, 4));
    const [rank, star, grade] = await Promise.all([
      this.rankings.rankOf(household.id, parsePeriod(String(year)) as Period, { fresh: true }),
      this.stars.starsOf(household.id, year, { fresh: true }),
      standingGrade(this.grades, household.id, year),
    ]);
    const payload: CertificatePayload = {
      villageName: village.name,
      householdCode: household.code,
      headName: household.headName,
      earned: household.earned,
      year,
      yearPoints: rank.points,
      rank: rank.rank,
      households: rank.households,
      stars: star?.stars ?? 0,
      grade,
      issuedOn: today,
      purpose: purpose?.trim() || '申请积分贷',
    };
    const payloadJson = JSON.stringify(payload);
    return this.transactions.run(async (manager) => {
      const certificate = await manager.save(
        manager.create(CreditCertificate, {
          villageId: village.id,
          householdId: household.id,
          code: newCertificateCode(),
          payloadJson,
          signature: sign(this.key, payloadJson),
          status: 'ISSUED',
          issuedBy: actor.id,
        }),
      );
      this.transactions.changed(manager, { villageIds: [village.id] });
      await this.audit.record(
        actor,
        {
          action: 'certificate.issue',
          entityType: 'credit_certificate',
          entityId: certificate.id,
          villageId: village.id,
          details: { code: certificate.code, householdId: household.id, earned: payload.earned },
        },
        manager,
      );
      return certificate;
    });
  }

  async get(actor: Actor, id: number): Promise<CreditCertificate> {
    const certificate = await this.dataSource.getRepository(CreditCertificate).findOneBy({ id });
    if (!certificate) throw DomainError.notFound('积分证明');
    const village = await this.villages.getIn(this.dataSource.manager, certificate.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return certificate;
  }

  async forHousehold(householdId: number): Promise<CreditCertificate[]> {
    return this.dataSource
      .getRepository(CreditCertificate)
      .find({ where: { householdId }, order: { id: 'DESC' } });
  }

  /** The household's newest certificate that is issued, not revoked and unaltered (what a bank may lean on). */
  async latestValid(householdId: number): Promise<CreditCertificate | null> {
    const issued = await this.dataSource
      .getRepository(CreditCertificate)
      .find({ where: { householdId, status: 'ISSUED' }, order: { id: 'DESC' }, take: 10 });
    return issued.find((c) => signatureMatches(this.key, c.payloadJson, c.signature)) ?? null;
  }

  /** Anyone (a bank) checks a code: genuine and unaltered, revoked, altered, or unknown. */
  async verify(typed: string): Promise<{ status: VerifyStatus; certificate: CreditCertificate | null }> {
    const code = normaliseCode(typed);
    const certificate = code
      ? await this.dataSource.getRepository(CreditCertificate).findOneBy({ code })
      : null;
    if (!certificate) return { status: 'NOT_FOUND', certificate: null };
    if (!signatureMatches(this.key, certificate.payloadJson, certificate.signature))
      return { status: 'ALTERED', certificate };
    return { status: certificate.status === 'REVOKED' ? 'REVOKED' : 'VALID', certificate };
  }

  async revoke(actor: Actor, id: number, reason: string): Promise<CreditCertificate> {
    const certificate = await this.get(actor, id);
    if (actor.kind !== 'user') throw DomainError.forbidden();
    return this.transactions.run(async (manager) => {
      const done = await manager
        .createQueryBuilder()
        .update(CreditCertificate)
        .set({ status: 'REVOKED', revokedBy: actor.id, revokedAt: new Date(), revokeReason: reason })
        .where("id = :id AND status = 'ISSUED'", { id })
        .execute();
      if (done.affected !== 1) throw new DomainError('INVALID_STATE', '这份积分证明已经撤销了');
      this.transactions.changed(manager, { villageIds: [certificate.villageId] });
      await this.audit.record(
        actor,
        {
          action: 'certificate.revoke',
          entityType: 'credit_certificate',
          entityId: id,
          villageId: certificate.villageId,
          details: { code: certificate.code, reason },
        },
        manager,
      );
      return manager.findOneByOrFail(CreditCertificate, { id });
    });
  }
}
