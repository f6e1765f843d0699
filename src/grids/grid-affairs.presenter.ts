import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { todayInChina } from '../common/dates.js';
import { affairStatusLabel } from './affair-status.js';
import {
  AFFAIR_KIND_LABELS,
  AFFAIR_KINDS,
  type AffairStatus,
  type GridAffair,
} from './grid-affair.entity.js';

/** A grid affair as the API and the pages show it (photos by name only: /evidence/:name serves them to staff). */
export function affairView(a: GridAffair & { overdue?: boolean }) {
  return {
    id: a.id,
    villageId: a.villageId,
    kind: a.kind,
    kindLabel: AFFAIR_KIND_LABELS[a.kind],
    text: a.text,
    householdId: a.householdId,
    place: a.place,
    hasPhoto: a.photoPath !== null,
    reportedByHouseholdId: a.reportedByHouseholdId,
    reportedByUserId: a.reportedByUserId,
    status: a.status,
    statusLabel: affairStatusLabel(a.status),
    screenReason: a.screenReason,
    screenedAt: a.screenedAt,
    assigneeUserId: a.assigneeUserId,
    assigneeHouseholdId: a.assigneeHouseholdId,
    dueOn: a.dueOn,
    overdue: a.overdue ?? false,
    handledNote: a.handledNote,
    handledAt: a.handledAt,
    reportRecordId: a.reportRecordId,
    handledRecordId: a.handledRecordId,
    createdAt: a.createdAt,
  };
}

/** The kinds as a chooser offers them. */
export const KIND_OPTIONS = AFFAIR_KINDS.map((value) => ({ value, label: AFFAIR_KIND_LABELS[value] }));

/** The list's tabs: every matter, or those at one step. */
export const STATUS_TABS: { status: AffairStatus | ''; label: string }[] = [
  { status: '', label: '全部' },
  { status: 'REPORTED', label: '待筛选' },
  { status: 'DISPATCHED', label: '办理中' },
  { status: 'HANDLED', label: '已办结' },
  { status: 'INVALID', label: '无效' },
];

/**
 * One card per matter, with the actions the person may take on it now: the committee screens a reported one and
 * dispatches a valid one; its assignee (or the committee) closes a dispatched one.
 */
export function affairCards(
  affairs: (GridAffair & { overdue: boolean })[],
  names: { households: Map<number, string>; users: Map<number, string> },
  actor: Actor,
) {
  const screens = can(actor, Permission.GridAffair.Screen);
  const household = (id: number | null) =>
    id === null ? null : (names.households.get(id) ?? `第 ${id} 号户`);
  const user = (id: number | null) => (id === null ? null : (names.users.get(id) ?? `第 ${id} 号账号`));
  return affairs.map((a) => {
    const mine =
      actor.kind === 'household'
        ? a.assigneeHouseholdId === actor.id
        : a.assigneeUserId === actor.id || screens;
    return {
      id: a.id,
      kind: AFFAIR_KIND_LABELS[a.kind],
      text: a.text,
      where: household(a.householdId) ?? a.place,
      reporter: household(a.reportedByHouseholdId) ?? user(a.reportedByUserId),
      reportedOn: todayInChina(a.createdAt),
      status: affairStatusLabel(a.status),
      screenReason: a.screenReason,
      assignee: household(a.assigneeHouseholdId) ?? user(a.assigneeUserId),
      dueOn: a.dueOn,
      overdue: a.overdue,
      handledNote: a.handledNote,
      earned: a.reportRecordId !== null || a.handledRecordId !== null,
      canScreen: screens && a.status === 'REPORTED',
      canDispatch: screens && a.status === 'VALID',
      canClose: mine && a.status === 'DISPATCHED',
    };
  });
}
