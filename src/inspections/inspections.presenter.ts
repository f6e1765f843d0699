import type { InspectionEntry } from './inspection-round.entity.js';
import type { RoundDetail } from './inspections.service.js';

/** An entry as the API shows it (its photo by whether there is one: /evidence/:name serves it to staff). */
export function entryView(e: InspectionEntry) {
  return {
    id: e.id,
    roundId: e.roundId,
    householdId: e.householdId,
    ruleId: e.ruleId,
    points: e.points,
    note: e.note,
    hasPhoto: e.photoPath !== null,
    idempotencyKey: e.idempotencyKey,
    createdBy: e.createdBy,
    recordId: e.recordId,
    createdAt: e.createdAt,
  };
}

/** A round as the API shows it: what it checks, at which doors, and what was found. */
export function roundView({ round, checklist, households, entries }: RoundDetail) {
  return {
    id: round.id,
    villageId: round.villageId,
    gridId: round.gridId,
    title: round.title,
    category: round.category,
    status: round.status,
    createdBy: round.createdBy,
    createdAt: round.createdAt,
    submittedAt: round.submittedAt,
    checklist,
    households,
    entries: entries.map(entryView),
  };
}
