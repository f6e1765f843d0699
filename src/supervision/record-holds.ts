import { In, type EntityManager } from 'typeorm';
import { SupervisionOpinion } from './supervision-opinion.entity.js';

/**
 * The supervision committee's open opinions on score records, as 公示 counts them among a record's holds. Plain
 * functions on the caller's manager, not SupervisionService: supervision sits above 公示's PublicationRecordsModule
 * (it holds and releases records through it), so 公示 cannot inject the service without a circle.
 */

/** How many open 监督意见 hold this record from posting, in the caller's transaction. */
export function openOpinionsOnRecord(manager: EntityManager, recordId: number): Promise<number> {
  return manager.countBy(SupervisionOpinion, {
    targetType: 'SCORE_RECORD',
    targetId: recordId,
    status: 'OPEN',
  });
}

/** Which of these records an open 监督意见 holds (at most 500 ids per statement), in the caller's transaction. */
export async function recordsWithOpenOpinions(
  manager: EntityManager,
  recordIds: number[],
): Promise<Set<number>> {
  const unique = [...new Set(recordIds)];
  const held = new Set<number>();
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await manager.find(SupervisionOpinion, {
      where: { targetType: 'SCORE_RECORD', targetId: In(unique.slice(start, start + 500)), status: 'OPEN' },
      select: { id: true, targetId: true },
    });
    for (const o of rows) held.add(Number(o.targetId));
  }
  return held;
}
