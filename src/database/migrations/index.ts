import { Foundation1763800000000 } from './1763800000000-Foundation.js';
import { HouseholdCodes1763900000000 } from './1763900000000-HouseholdCodes.js';
import { ScoringAndLedger1764000000000 } from './1764000000000-ScoringAndLedger.js';
import { Supermarket1764100000000 } from './1764100000000-Supermarket.js';
import { PeriodTotals1764200000000 } from './1764200000000-PeriodTotals.js';
import { Rankings1764300000000 } from './1764300000000-Rankings.js';
import { CreditCertificates1764400000000 } from './1764400000000-CreditCertificates.js';
import { OpeningCap1764500000000 } from './1764500000000-OpeningCap.js';
import { LoginAttempts1764600000000 } from './1764600000000-LoginAttempts.js';
import { BookWitness1764800000000 } from './1764800000000-BookWitness.js';
import { StaffAccountChecks1764900000000 } from './1764900000000-StaffAccountChecks.js';
import { FeatureSettings1765000000000 } from './1765000000000-FeatureSettings.js';
import { ObjectionDecisionReason1765100000000 } from './1765100000000-ObjectionDecisionReason.js';
import { Notices1765200000000 } from './1765200000000-Notices.js';
import { HouseholdProxies1765300000000 } from './1765300000000-HouseholdProxies.js';
import { LedgerBooks1765400000000 } from './1765400000000-LedgerBooks.js';
import { RuleRevisions1765500000000 } from './1765500000000-RuleRevisions.js';
import { SupervisionOpinions1765600000000 } from './1765600000000-SupervisionOpinions.js';
import { CouncilVotes1765700000000 } from './1765700000000-CouncilVotes.js';
import { MonthlyStatements1765800000000 } from './1765800000000-MonthlyStatements.js';
import { CouncilShowNames1765850000000 } from './1765850000000-CouncilShowNames.js';
import { HonourCampaigns1765900000000 } from './1765900000000-HonourCampaigns.js';
import { GridAffairs1766000000000 } from './1766000000000-GridAffairs.js';
import { VolunteerActivities1766100000000 } from './1766100000000-VolunteerActivities.js';
import { InspectionRounds1766200000000 } from './1766200000000-InspectionRounds.js';
import { CreditGrades1766300000000 } from './1766300000000-CreditGrades.js';
import { BankConsents1766400000000 } from './1766400000000-BankConsents.js';
import { PartyBooks1766500000000 } from './1766500000000-PartyBooks.js';

/** Every migration in order. Listed as classes (not a glob) so that compiled and ts-jest runs load the same set. */
export const MIGRATIONS = [
  Foundation1763800000000,
  HouseholdCodes1763900000000,
  ScoringAndLedger1764000000000,
  Supermarket1764100000000,
  PeriodTotals1764200000000,
  Rankings1764300000000,
  CreditCertificates1764400000000,
  OpeningCap1764500000000,
  LoginAttempts1764600000000,
  BookWitness1764800000000,
  StaffAccountChecks1764900000000,
  FeatureSettings1765000000000,
  ObjectionDecisionReason1765100000000,
  Notices1765200000000,
  HouseholdProxies1765300000000,
  LedgerBooks1765400000000,
  RuleRevisions1765500000000,
  SupervisionOpinions1765600000000,
  CouncilVotes1765700000000,
  MonthlyStatements1765800000000,
  CouncilShowNames1765850000000,
  HonourCampaigns1765900000000,
  GridAffairs1766000000000,
  VolunteerActivities1766100000000,
  InspectionRounds1766200000000,
  CreditGrades1766300000000,
  BankConsents1766400000000,
  PartyBooks1766500000000,
];
