import type { Response } from 'express';

/** Marks an answer that repeats an earlier one for the same idempotency key: nothing was written this time. */
export const REPLAY_HEADER = 'Idempotent-Replayed';

/** 201 for a new thing; 200 and the replay header when the same key came before. */
export function answerCreated(res: Response, created: boolean): void {
  res.status(created ? 201 : 200);
  if (!created) res.setHeader(REPLAY_HEADER, 'true');
}

/** Marks an answer to a step sent again (a double click, a retry) that changed nothing: 200, with the replay header. */
export function markRepeated(res: Response, repeated: boolean): void {
  if (repeated) res.setHeader(REPLAY_HEADER, 'true');
}
