import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope, inScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { LoginThrottle, type Reservation } from '../auth/login-throttle.js';
import { CertificatesService } from '../certificates/certificates.service.js';
import { standingGrade, type GradeOfYear } from '../certificates/household-grade.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import type { Period } from '../common/periods.js';
import { CreditGradesService } from '../credit/credit-grades.service.js';
import { raw } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Household } from '../households/household.entity.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { StarsService } from '../rankings/stars.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  LOAN_BANDS,
  LOAN_OUTCOMES,
  normaliseConsentCode,
  type LoanBand,
  type LoanOutcome as Outcome,
} from './consent-code.js';
import { ConsentCode } from './consent-code.entity.js';
import { ConsentCodesService } from './consent-codes.service.js';
import { ConsentUse } from './consent-use.entity.js';
import { LoanOutcome } from './loan-outcome.entity.js';

/**
 * Wrong codes one loan officer may type in ten minutes before every try is refused until the window ends. Six digits
 * are a million codes: at most 720 tries a day against the few dozen live codes of a township.
 */
export const WRONG_CODE_LIMIT = { limit: 5, windowMs: 10 * 60 * 1000 };

/** What a loan officer sees of a household with its consent: who, its grade, points, stars and latest certificate. */
export interface BankView {
  household: { code: string; headName: string; villageName: string };
  grade: GradeOfYear | null;
  earned: { total: number; year: number; yearPoints: number };
  stars: { year: number; stars: number };
  certificate: { code: string; issuedOn: string; verifyPath: string } | null;
  consent: { lastDigits: string; expiresOn: string };
}

/** The township's table: counts per village, outcome and band; never a household. */
export interface OutcomeSummary {
  period: string;
  bands: readonly LoanBand[];
  villages: {
    villageId: number;
    name: string;
    counts: Record<Outcome, Record<LoanBand, number>>;
    total: number;
  }[];
  totals: Record<Outcome, Record<LoanBand, number>>;
}

const NO_CODE = '请输入农户给您的 6 位授权码';
const WRONG_CODE = '授权码不对、已过期或已被农户撤销，不能查询';
const OUTSIDE = '这户不在您服务的乡镇，不能查询';

function emptyCounts(): Record<Outcome, Record<LoanBand, number>> {
  const row = () => Object.fromEntries(LOAN_BANDS.map((b) => [b, 0])) as Record<LoanBand, number>;
  return Object.fromEntries(LOAN_OUTCOMES.map((o) => [o, row()])) as Record<
    Outcome,
    Record<LoanBand, number>
  >;
}

/**
 * 银行授权查询: a county bank's loan officer sees a household only with a live consent code of it, in the officer's
 * township; every look and every outcome is written down for the household to see. A refused try records nothing
 * the household would read as seen, and counts against the officer's wrong-code limit.
 */
@Injectable()
export class BankLookupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly consents: ConsentCodesService,
    private readonly throttle: LoginThrottle,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly ledger: LedgerService,
    private readonly stars: StarsService,
    private readonly certificates: CertificatesService,
    private readonly grades: CreditGradesService,
  ) {}

  /** Looks a household up by its consent code; the look is recorded (a use, and the audit log). */
  async lookup(actor: Actor, typed: unknown): Promise<BankView> {
    const { consent, household, village } = await this.resolve(actor, typed);
    const year = Number(this.clock.today().slice(0, 4));
    const [grade, yearPoints, star, certificate] = await Promise.all([
      standingGrade(this.grades, household.id, year),
      this.ledger.periodPoints(household.id, String(year)),
      this.stars.starsOf(household.id, year),
      this.certificates.latestValid(household.id),
    ]);
    await this.transactions.run(async (manager) => {
      await manager.save(manager.create(ConsentUse, this.use(actor, consent, 'LOOKUP')));
      await this.audit.record(
        actor,
        {
          action: 'bank.lookup',
          entityType: 'household',
          entityId: household.id,
          villageId: household.villageId,
          details: { consentId: consent.id, lastDigits: consent.lastDigits },
        },
        manager,
      );
    });
    const issuedOn = certificate
      ? (JSON.parse(certificate.payloadJson) as { issuedOn: string }).issuedOn
      : '';
    return {
      household: { code: household.code, headName: household.headName, villageName: village.name },
      grade,
      earned: { total: household.earned, year, yearPoints },
      stars: { year, stars: star?.stars ?? 0 },
      certificate: certificate
        ? { code: certificate.code, issuedOn, verifyPath: `/verify/${certificate.code}` }
        : null,
      consent: { lastDigits: consent.lastDigits, expiresOn: consent.expiresOn },
    };
  }

  /**
   * Records what came of the application, once per code: the same outcome sent again (a double click, a retry) finds
   * the first and says so (`repeated`); a different one is refused.
   */
  async recordOutcome(
    actor: Actor,
    dto: { consentCode: string; outcome: Outcome; band: LoanBand },
  ): Promise<{ outcome: { outcome: Outcome; band: LoanBand; recordedOn: string }; repeated: boolean }> {
    const { consent, household } = await this.resolve(actor, dto.consentCode);
    return this.transactions.run(async (manager) => {
      // Two submissions at once (PostgreSQL) wait here; the second then finds the first's row.
      await this.households.hold(manager, household.id);
      const earlier = await manager.findOneBy(LoanOutcome, { consentId: consent.id });
      if (earlier) {
        if (earlier.outcome !== dto.outcome || earlier.band !== dto.band)
          throw new DomainError('DUPLICATE', '这个授权码已经记录过贷款结果，不能改', {
            outcome: '这个授权码已经记录过贷款结果',
          });
        return { outcome: this.outcomeView(earlier), repeated: true };
      }
      const outcome = await manager.save(
        manager.create(LoanOutcome, {
          consentId: consent.id,
          householdId: household.id,
          villageId: household.villageId,
          outcome: dto.outcome,
          band: dto.band,
          bankUserId: actor.id,
          recordedOn: this.clock.today(),
        }),
      );
      await manager.save(manager.create(ConsentUse, this.use(actor, consent, 'OUTCOME')));
      // The township's kept dashboard counts outcomes: a new one redraws it.
      this.transactions.changed(manager, scopeOf(household.villageId));
      await this.audit.record(
        actor,
        {
          action: 'bank.outcome',
          entityType: 'household',
          entityId: household.id,
          villageId: household.villageId,
          details: { consentId: consent.id, outcome: dto.outcome, band: dto.band },
        },
        manager,
      );
      return { outcome: this.outcomeView(outcome), repeated: false };
    });
  }

  /** The township's table for a period: its villages' outcomes counted (the township's reviewer or the county). */
  async outcomesOf(actor: Actor, townshipId: number, period: Period): Promise<OutcomeSummary> {
    assertInScope(actor, { townshipId });
    return this.summary(await this.villages.inTownship(townshipId), period);
  }

  /** Counts of a period's outcomes per village of the township (the period by the day each was recorded). */
  async summary(villages: Pick<Village, 'id' | 'name'>[], period: Period): Promise<OutcomeSummary> {
    const totals = emptyCounts();
    const byVillage = new Map(
      villages.map((v) => [v.id, { villageId: v.id, name: v.name, counts: emptyCounts(), total: 0 }]),
    );
    if (villages.length > 0) {
      const ids = villages.map((v) => v.id);
      const rows = await raw<{ villageId: number; outcome: Outcome; band: LoanBand; n: number | string }>(
        this.dataSource,
        `SELECT "villageId", outcome, band, COUNT(*) AS n FROM loan_outcome
          WHERE "villageId" IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})
            AND "recordedOn" >= $${ids.length + 1} AND "recordedOn" < $${ids.length + 2}
          GROUP BY "villageId", outcome, band`,
        [...ids, period.start, period.next],
      );
      for (const r of rows) {
        const village = byVillage.get(Number(r.villageId));
        const n = Number(r.n);
        if (!village || !(r.outcome in totals) || !LOAN_BANDS.includes(r.band)) continue;
        village.counts[r.outcome][r.band] += n;
        village.total += n;
        totals[r.outcome][r.band] += n;
      }
    }
    return { period: period.key, bands: LOAN_BANDS, villages: [...byVillage.values()], totals };
  }

  private outcomeView(o: LoanOutcome) {
    return { outcome: o.outcome, band: o.band, recordedOn: o.recordedOn };
  }

  private use(actor: Actor, consent: ConsentCode, kind: ConsentUse['kind']): Partial<ConsentUse> {
    return {
      consentId: consent.id,
      householdId: consent.householdId,
      bankUserId: actor.id,
      bankUserName: actor.displayName.slice(0, 60),
      kind,
    };
  }

  /**
   * The live consent a typed code names, for a household in the officer's reach. A well-formed code counts as a wrong
   * try before it is checked (as a password does), and gets the try back when it opens a household.
   */
  private async resolve(
    actor: Actor,
    typed: unknown,
  ): Promise<{ consent: ConsentCode; household: Household; village: Village }> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const code = normaliseConsentCode(typed);
    if (!code) throw new DomainError('FORBIDDEN', NO_CODE, { consentCode: NO_CODE });
    const reservation = await this.reserve(actor.id);
    const consent = await this.dataSource
      .getRepository(ConsentCode)
      .createQueryBuilder('c')
      .where('c.codeHash = :hash AND c.status = :status AND c.expiresOn >= :today', {
        hash: this.consents.hash(code),
        status: 'ACTIVE',
        today: this.clock.today(),
      })
      .getOne();
    if (!consent) throw new DomainError('FORBIDDEN', WRONG_CODE, { consentCode: WRONG_CODE });
    const household = await this.households.findIn(this.dataSource.manager, consent.householdId);
    const village = household && (await this.villages.getIn(this.dataSource.manager, household.villageId));
    if (!household || !village) throw new DomainError('FORBIDDEN', WRONG_CODE, { consentCode: WRONG_CODE });
    if (!inScope(actor, { townshipId: village.townshipId, villageId: village.id }))
      throw new DomainError('FORBIDDEN', OUTSIDE, { consentCode: OUTSIDE });
    await this.throttle.refund(reservation);
    return { consent, household, village };
  }

  private async reserve(userId: number): Promise<Reservation> {
    try {
      return await this.throttle.reserve([
        { key: `bank:${userId}`, limit: WRONG_CODE_LIMIT, personal: false },
      ]);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'RATE_LIMITED') throw error;
      const seconds = Number(error.details.retryAfterSeconds ?? 600);
      const message = `授权码输错次数过多，请 ${Math.max(1, Math.ceil(seconds / 60))} 分钟后再试`;
      throw new DomainError('RATE_LIMITED', message, { ...error.details, consentCode: message });
    }
  }
}
