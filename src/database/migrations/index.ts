import { Foundation1763800000000 } from './1763800000000-Foundation.js';

/** Every migration in order. Listed as classes (not a glob) so that compiled and ts-jest runs load the same set. */
export const MIGRATIONS = [Foundation1763800000000];
