import { AuditLog } from '../audit/audit-log.entity.js';
import { CreditCertificate } from '../certificates/credit-certificate.entity.js';
import { LoginAttempt } from '../auth/login-attempt.entity.js';
import { Session } from '../auth/session.entity.js';
import { HouseholdMember } from '../households/household-member.entity.js';
import { Household } from '../households/household.entity.js';
import { HouseholdProxy } from '../households/household-proxy.entity.js';
import { BookWitness } from '../ledger/book-witness.entity.js';
import { LedgerEntry } from '../ledger/ledger-entry.entity.js';
import { LedgerBook } from '../ledger/ledger-book.entity.js';
import { LedgerAccount } from '../ledger/ledger-account.entity.js';
import { NoticeDelivery } from '../notices/notice-delivery.entity.js';
import { Notice } from '../notices/notice.entity.js';
import { PartyMember } from '../party/party-member.entity.js';
import { PartyRule } from '../party/party-rule.entity.js';
import { PartySettings } from '../party/party-settings.entity.js';
import { PartyPublication } from '../party/party-publication.entity.js';
import { PartyRecord } from '../party/party-record.entity.js';
import { PartyObjection } from '../party/party-objection.entity.js';
import { PartyCommitment } from '../party/party-commitment.entity.js';
import { PartyLink } from '../party/party-link.entity.js';
import { Objection } from '../publications/objection.entity.js';
import { SupervisionOpinion } from '../supervision/supervision-opinion.entity.js';
import { Publication } from '../publications/publication.entity.js';
import { ListEntry } from '../rankings/list-entry.entity.js';
import { PeriodTotal } from '../ledger/period-total.entity.js';
import { RankingSettings } from '../rankings/ranking-settings.entity.js';
import { RankingSnapshot } from '../rankings/ranking-snapshot.entity.js';
import { RuleRevision } from '../rules/rule-revision.entity.js';
import { ScoringRuleVersion } from '../rules/scoring-rule-version.entity.js';
import { ScoringRule } from '../rules/scoring-rule.entity.js';
import { CouncilVote } from '../scoring/council-vote.entity.js';
import { ScoreRecord } from '../scoring/score-record.entity.js';
import { ScoringSettings } from '../scoring/scoring-settings.entity.js';
import { Goods } from '../supermarket/goods.entity.js';
import { MonthlyStatement } from '../supermarket/monthly-statement.entity.js';
import { RedemptionLine } from '../supermarket/redemption-line.entity.js';
import { Redemption } from '../supermarket/redemption.entity.js';
import { StockMovement } from '../supermarket/stock-movement.entity.js';
import { Activity } from '../volunteering/activity.entity.js';
import { ActivityAttendance } from '../volunteering/activity-attendance.entity.js';
import { ActivitySignup } from '../volunteering/activity-signup.entity.js';
import { SupermarketSettings } from '../supermarket/supermarket-settings.entity.js';
import { Township } from '../townships/township.entity.js';
import { User } from '../users/user.entity.js';
import { Group } from '../villages/group.entity.js';
import { Village } from '../villages/village.entity.js';
import { GridAffair } from '../grids/grid-affair.entity.js';
import { Grid, GridHousehold, GridSettings } from '../grids/grid.entity.js';
import { InspectionEntry, InspectionRound } from '../inspections/inspection-round.entity.js';
import { ConsentCode } from '../bank/consent-code.entity.js';
import { ConsentUse } from '../bank/consent-use.entity.js';
import { LoanOutcome } from '../bank/loan-outcome.entity.js';
import { HonourCampaign, HonourStar } from '../honours/honour-campaign.entity.js';
import {
  CreditGrade,
  CreditGradeObjection,
  CreditGradeRules,
  CreditGradeRun,
} from '../credit/credit-grade.entity.js';
import { HonourNomination, HonourObjection, HonourVote } from '../honours/honour-nomination.entity.js';

export const ENTITIES = [
  Township,
  Village,
  Group,
  Household,
  HouseholdMember,
  HouseholdProxy,
  User,
  Session,
  LoginAttempt,
  AuditLog,
  ScoringRule,
  ScoringRuleVersion,
  RuleRevision,
  ScoreRecord,
  ScoringSettings,
  CouncilVote,
  Publication,
  Objection,
  SupervisionOpinion,
  Notice,
  NoticeDelivery,
  LedgerEntry,
  LedgerBook,
  LedgerAccount,
  PartyMember,
  PartyRule,
  PartySettings,
  PartyPublication,
  PartyRecord,
  PartyObjection,
  PartyCommitment,
  PartyLink,
  BookWitness,
  Goods,
  StockMovement,
  Redemption,
  RedemptionLine,
  SupermarketSettings,
  MonthlyStatement,
  PeriodTotal,
  RankingSnapshot,
  RankingSettings,
  ListEntry,
  CreditCertificate,
  HonourCampaign,
  HonourStar,
  HonourNomination,
  HonourVote,
  HonourObjection,
  Grid,
  GridHousehold,
  GridSettings,
  GridAffair,
  Activity,
  ActivitySignup,
  ActivityAttendance,
  InspectionRound,
  InspectionEntry,
  CreditGradeRules,
  CreditGradeRun,
  CreditGrade,
  CreditGradeObjection,
  ConsentCode,
  ConsentUse,
  LoanOutcome,
];
