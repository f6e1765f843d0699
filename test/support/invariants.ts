import type { INestApplication } from '@nestjs/common';
import { IntegrityService } from '../../src/integrity/integrity.service.js';

/** The invariant checker's problems for the app's database (empty when everything holds). */
export async function invariantProblems(app: INestApplication): Promise<string[]> {
  return (await app.get(IntegrityService).check()).problems;
}
