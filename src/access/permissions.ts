import type { Actor } from './actor.js';
import { ROLES, type Role } from './role.js';

/**
 * What a person may do, in the domain's words (DOMAIN.md glossary). Routes say which permission lets them in
 * (`@Allow`), pages ask `can(actor, …)`; which role holds which is the one table below.
 */
export const Permission = {
  Account: {
    /** See and change one's own login (every role). */
    ManageOwn: 'Account.ManageOwn',
  },
  Township: {
    Manage: 'Township.Manage',
    Read: 'Township.Read',
    SetOpeningCap: 'Township.SetOpeningCap',
    /** The township's dashboard: its villages side by side. */
    Overview: 'Township.Overview',
  },
  Village: {
    Create: 'Village.Create',
    Read: 'Village.Read',
    Update: 'Village.Update',
    /** Open or close villagers' declarations. */
    SetDeclarations: 'Village.SetDeclarations',
  },
  Group: {
    /** The village pages where groups are kept, and the groups themselves. */
    Manage: 'Group.Manage',
  },
  User: {
    Manage: 'User.Manage',
    /** Confirm an account a village opened; whoever cannot confirm opens accounts that wait for it. */
    Confirm: 'User.Confirm',
  },
  Household: {
    Read: 'Household.Read',
    ReadOwn: 'Household.ReadOwn',
    Create: 'Household.Create',
    /** The household's card and its members. */
    Update: 'Household.Update',
    MoveOut: 'Household.MoveOut',
    ResetPin: 'Household.ResetPin',
    Import: 'Household.Import',
    PrintDoorPlates: 'Household.PrintDoorPlates',
    /** 亲属代办: name and end the people who act for a household. */
    ManageProxies: 'Household.ManageProxies',
  },
  Passbook: {
    Read: 'Passbook.Read',
    ReadOwn: 'Passbook.ReadOwn',
    SetOpening: 'Passbook.SetOpening',
    ConfigureReset: 'Passbook.ConfigureReset',
    /** 积分对账单: print a village's monthly slips for households without a phone (as door plates are printed). */
    PrintSlips: 'Passbook.PrintSlips',
  },
  Ledger: {
    Verify: 'Ledger.Verify',
  },
  CreditCertificate: {
    Read: 'CreditCertificate.Read',
    Issue: 'CreditCertificate.Issue',
    Revoke: 'CreditCertificate.Revoke',
  },
  ScoringRule: {
    Read: 'ScoringRule.Read',
    /** A village's rule list (after the villagers' vote). */
    EditVillage: 'ScoringRule.EditVillage',
    /** A township's template list. */
    EditTemplate: 'ScoringRule.EditTemplate',
    CopyTemplates: 'ScoringRule.CopyTemplates',
  },
  RuleRevision: {
    /** Draft a change to the village's list, record the 村民代表会议's adoption, submit it to the township. */
    Draft: 'RuleRevision.Draft',
    /** 备案: file a village's adopted revision (it then takes effect), or return it with a comment. */
    File: 'RuleRevision.File',
  },
  ScoreRecord: {
    Read: 'ScoreRecord.Read',
    Record: 'ScoreRecord.Record',
    /** Approve or reject a pending record. */
    Approve: 'ScoreRecord.Approve',
    Correct: 'ScoreRecord.Correct',
    /** A household declares its own good deed. */
    Declare: 'ScoreRecord.Declare',
  },
  Council: {
    /** 道德评议会: vote on a record under a rule that needs the council's judgement. */
    Vote: 'Council.Vote',
    /** Set how many members must vote (the quorum). */
    Configure: 'Council.Configure',
  },
  Publication: {
    Read: 'Publication.Read',
    Open: 'Publication.Open',
    Close: 'Publication.Close',
  },
  Objection: {
    File: 'Objection.File',
    /** From the household's own page. */
    FileAsHousehold: 'Objection.FileAsHousehold',
    /** The committee records an objection a villager makes in person, on the household's behalf. */
    FileOnBehalf: 'Objection.FileOnBehalf',
    Resolve: 'Objection.Resolve',
  },
  Ranking: {
    Read: 'Ranking.Read',
    Submit: 'Ranking.Submit',
    ReadSnapshots: 'Ranking.ReadSnapshots',
    /** Approve or return a submitted ranking. */
    Review: 'Ranking.Review',
    Configure: 'Ranking.Configure',
  },
  List: {
    Read: 'List.Read',
    /** Confirm and publish the red and black lists. */
    Confirm: 'List.Confirm',
    Lift: 'List.Lift',
    Withdraw: 'List.Withdraw',
  },
  Goods: {
    Read: 'Goods.Read',
    Edit: 'Goods.Edit',
    StockIn: 'Goods.StockIn',
    StockTake: 'Goods.StockTake',
  },
  Redemption: {
    Create: 'Redemption.Create',
    Read: 'Redemption.Read',
    ReadOwn: 'Redemption.ReadOwn',
    Cancel: 'Redemption.Cancel',
  },
  Supermarket: {
    /** The supermarket's own pages: redemptions, goods and stock, reports. */
    Operate: 'Supermarket.Operate',
    /** 超市月度账目公开: a month's statement before it is published (after, it is public). */
    ReadStatement: 'Supermarket.ReadStatement',
    /** The supervision committee signs a month's statement off, which publishes it on the board. */
    SignStatement: 'Supermarket.SignStatement',
  },
  AuditLog: {
    Read: 'AuditLog.Read',
  },
  Supervision: {
    /** 监督意见: the village's supervision committee raises one on a record in 公示, a redemption or a stock movement. */
    Raise: 'Supervision.Raise',
    /** The committee (村两委) answers an opinion. */
    Answer: 'Supervision.Answer',
  },
  Honour: {
    /** 评选活动: the committee runs a campaign (stars, nominations, publishing the result, answering objections). */
    Run: 'Honour.Run',
    /** A household nominates itself and objects to a result during its 公示 (its own page). */
    TakePart: 'Honour.TakePart',
    /** The campaigns of a village and their results, before they are filed. */
    Read: 'Honour.Read',
    /** 备案: the township files a campaign's result. */
    File: 'Honour.File',
  },
  Grid: {
    /** 网格: divide the village's households into grids, name each grid's 网格员, decide what grid affairs earn. */
    Manage: 'Grid.Manage',
    Read: 'Grid.Read',
  },
  GridAffair: {
    /** 上报 a matter (a villager with a photo, or a 网格员). */
    Report: 'GridAffair.Report',
    /** 筛选 (valid or not) and 派单 (to a 网格员 or a household that volunteered). */
    Screen: 'GridAffair.Screen',
    /** 办结 a matter dispatched to oneself (the committee may close any). */
    Handle: 'GridAffair.Handle',
    /** The village's matters, at every step. */
    Read: 'GridAffair.Read',
    /** The matters one's household reported or was given. */
    ReadOwn: 'GridAffair.ReadOwn',
  },
  Activity: {
    /** 志愿服务活动: the committee creates an activity and closes it into records for its attendees. */
    Manage: 'Activity.Manage',
    /** A household signs itself up (its own page); the committee signs households up with `Manage`. */
    SignUp: 'Activity.SignUp',
    /** 签到: take an activity's attendance, with each household's hours. */
    CheckAttendance: 'Activity.CheckAttendance',
    /** A village's activities, with who signed up and who came. */
    Read: 'Activity.Read',
  },
  Inspection: {
    /** 入户检查: open a round, send what was found at each household, submit it as records. */
    Run: 'Inspection.Run',
    /** The village's rounds and their entries. */
    Read: 'Inspection.Read',
  },
  Party: {
    /** 党员: mark a household member as a party member with a login, the branch's rule list and 五星 thresholds, members' yearly commitments (承诺) and the households each is linked to (党员联系农户). */
    Manage: 'Party.Manage',
    /** 党员量化积分: record a member's points, approve another branch member's record, open 党内公示, answer objections, post. */
    Record: 'Party.Record',
    /** The branch's members, records in 公示 and rankings (what the branch's members see). */
    Read: 'Party.Read',
    /** A party member's own book (存折). */
    ReadOwn: 'Party.ReadOwn',
    /** A party member objects to a record in 党内公示. */
    Object: 'Party.Object',
  },
  CreditGrade: {
    /** 信用户评定: the village's grade rules (thresholds the village voted), the year's grades, their 公示 and filing. */
    Configure: 'CreditGrade.Configure',
    /** A village's grades and the villages' grades (信用村). */
    Read: 'CreditGrade.Read',
    /** 备案: the township files a village's grades of a year, or returns them. */
    File: 'CreditGrade.File',
    /** A household objects to its grade during its 公示. */
    Object: 'CreditGrade.Object',
  },
  Consent: {
    /** A household makes and revokes the codes that let a bank see its grade and points (its own page). */
    ManageOwn: 'Consent.ManageOwn',
    /** The committee makes or revokes a code for a household that comes in person. */
    ManageOnBehalf: 'Consent.ManageOnBehalf',
  },
  Bank: {
    /** A loan officer looks a household up with its consent code. */
    Lookup: 'Bank.Lookup',
    /** A loan officer records what came of an application (granted or declined, an amount band). */
    RecordOutcome: 'Bank.RecordOutcome',
    /** The township's and the county's view of banks' outcomes, in aggregate only. */
    ReadOutcomes: 'Bank.ReadOutcomes',
  },
  Notice: {
    /** The household's own notices, its records and the objections it filed (`/api/v1/me/*`). */
    ReadOwn: 'Notice.ReadOwn',
  },
} as const;

type Leaves<T> = T extends string ? T : { [K in keyof T]: Leaves<T[K]> }[keyof T];
export type Permission = Leaves<typeof Permission>;

const P = Permission;
const EVERYONE = [P.Account.ManageOwn, P.Objection.File];
const VILLAGE_STAFF = [
  ...EVERYONE,
  P.Village.Read,
  P.Household.Read,
  P.Passbook.Read,
  P.ScoringRule.Read,
  P.ScoreRecord.Read,
  P.Ranking.Read,
  P.Activity.Read,
];
/** What the county and the township oversee: read everything of their villages. */
const OVERSIGHT = [
  ...VILLAGE_STAFF,
  P.Honour.Read,
  P.Township.Read,
  P.Township.SetOpeningCap,
  P.Township.Overview,
  P.Village.Update,
  P.Group.Manage,
  P.User.Manage,
  P.User.Confirm,
  P.Ledger.Verify,
  P.CreditCertificate.Read,
  P.ScoringRule.EditTemplate,
  P.Publication.Read,
  P.Ranking.ReadSnapshots,
  P.List.Read,
  P.Goods.Read,
  P.Redemption.Read,
  P.Supermarket.ReadStatement,
  P.AuditLog.Read,
  P.Grid.Read,
  P.GridAffair.Read,
  P.Inspection.Read,
  P.CreditGrade.Read,
  P.Bank.ReadOutcomes,
];
const SUPERMARKET = [
  P.Goods.Read,
  P.Goods.Edit,
  P.Goods.StockIn,
  P.Goods.StockTake,
  P.Redemption.Create,
  P.Redemption.Read,
  P.Redemption.Cancel,
  P.Supermarket.Operate,
  P.Supermarket.ReadStatement,
];

/** The one table of who may do what. A role or a permission is added here, and nowhere else. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: [...OVERSIGHT, P.Passbook.PrintSlips, P.Township.Manage, P.Village.Create],
  TOWNSHIP: [
    ...OVERSIGHT,
    P.Passbook.PrintSlips,
    P.Ranking.Review,
    P.List.Withdraw,
    P.RuleRevision.File,
    P.Honour.File,
    P.CreditGrade.File,
  ],
  VILLAGE_ADMIN: [
    ...VILLAGE_STAFF,
    ...SUPERMARKET,
    P.Village.SetDeclarations,
    P.Group.Manage,
    P.User.Manage,
    P.Household.Create,
    P.Household.Update,
    P.Household.MoveOut,
    P.Household.ResetPin,
    P.Household.ManageProxies,
    P.Household.Import,
    P.Household.PrintDoorPlates,
    P.Passbook.PrintSlips,
    P.Passbook.SetOpening,
    P.Passbook.ConfigureReset,
    P.Ledger.Verify,
    P.CreditCertificate.Read,
    P.CreditCertificate.Issue,
    P.CreditCertificate.Revoke,
    P.ScoringRule.EditVillage,
    P.ScoringRule.CopyTemplates,
    P.RuleRevision.Draft,
    P.ScoreRecord.Record,
    P.ScoreRecord.Approve,
    P.ScoreRecord.Correct,
    P.Publication.Read,
    P.Publication.Open,
    P.Publication.Close,
    P.Objection.Resolve,
    P.Objection.FileOnBehalf,
    P.Ranking.Submit,
    P.Ranking.ReadSnapshots,
    P.Ranking.Configure,
    P.List.Read,
    P.List.Confirm,
    P.List.Lift,
    P.Council.Configure,
    P.Supervision.Answer,
    P.Honour.Run,
    P.Honour.Read,
    P.Grid.Manage,
    P.Grid.Read,
    P.GridAffair.Report,
    P.GridAffair.Screen,
    P.GridAffair.Handle,
    P.GridAffair.Read,
    P.Activity.Manage,
    P.Activity.CheckAttendance,
    P.Inspection.Run,
    P.Inspection.Read,
    P.Party.Manage,
    P.Party.Read,
    P.CreditGrade.Configure,
    P.CreditGrade.Read,
    P.Consent.ManageOnBehalf,
  ],
  SCORER: [
    ...VILLAGE_STAFF,
    P.Household.PrintDoorPlates,
    P.Passbook.PrintSlips,
    P.ScoreRecord.Record,
    P.Grid.Read,
    P.GridAffair.Report,
    P.GridAffair.Handle,
    P.GridAffair.Read,
    P.Activity.CheckAttendance,
    P.Inspection.Run,
    P.Inspection.Read,
  ],
  CLERK: [...VILLAGE_STAFF, ...SUPERMARKET, P.Household.PrintDoorPlates, P.Passbook.PrintSlips],
  // 村务监督委员会: reads everything of its village (the supermarket's pages too, whose actions ask for more), changes
  // nothing but raising opinions.
  SUPERVISOR: [
    P.Account.ManageOwn,
    P.Village.Read,
    P.Household.Read,
    P.Passbook.Read,
    P.ScoringRule.Read,
    P.ScoreRecord.Read,
    P.Ranking.Read,
    P.Ranking.ReadSnapshots,
    P.List.Read,
    P.Publication.Read,
    P.Goods.Read,
    P.Redemption.Read,
    P.Supermarket.Operate,
    P.Supermarket.ReadStatement,
    P.Supermarket.SignStatement,
    P.AuditLog.Read,
    P.Supervision.Raise,
    P.Honour.Read,
    P.Grid.Read,
    P.GridAffair.Read,
    P.Activity.Read,
    P.Inspection.Read,
    P.CreditGrade.Read,
  ],
  COUNCIL: [
    ...EVERYONE,
    P.Village.Read,
    P.ScoringRule.Read,
    P.ScoreRecord.Read,
    P.Publication.Read,
    P.Council.Vote,
    P.Honour.Read,
    P.Activity.Read,
  ],
  VILLAGER: [
    ...EVERYONE,
    P.Household.ReadOwn,
    P.Passbook.ReadOwn,
    P.ScoreRecord.Declare,
    P.Objection.FileAsHousehold,
    P.Redemption.ReadOwn,
    P.Notice.ReadOwn,
    P.Honour.TakePart,
    P.GridAffair.Report,
    P.GridAffair.Handle,
    P.GridAffair.ReadOwn,
    P.Activity.SignUp,
    P.Activity.Read,
    P.CreditGrade.Object,
    P.Consent.ManageOwn,
  ],
  // 党支部: the village's party branch keeps its members' books; it sees the village's households (to link members to
  // them) but none of their points' workings.
  PARTY_BRANCH: [
    P.Account.ManageOwn,
    P.Village.Read,
    P.Household.Read,
    P.Party.Manage,
    P.Party.Record,
    P.Party.Read,
  ],
  // 党员: a party member's own login, for the member's own book and the branch's 党内公示.
  PARTY_MEMBER: [P.Account.ManageOwn, P.Party.Read, P.Party.ReadOwn, P.Party.Object],
  // 银行信贷员: a county bank's loan officer sees a household only through the household's consent code.
  BANK: [P.Account.ManageOwn, P.Bank.Lookup, P.Bank.RecordOutcome],
};

const GRANTED = new Map(ROLES.map((role) => [role, new Set<Permission>(ROLE_PERMISSIONS[role])]));

/** Whether the actor's role holds the permission. Scope (which village) is a separate question: `inScope`. */
export function can(actor: Pick<Actor, 'role'> | null | undefined, permission: Permission): boolean {
  return !!actor && (GRANTED.get(actor.role)?.has(permission) ?? false);
}

/** The roles that hold a permission. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => GRANTED.get(role)!.has(permission));
}
