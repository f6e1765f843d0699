import type { CreditGradesService } from '../credit/credit-grades.service.js';

/** A household's 信用等级 as a bank reads it, with the year it was given for. */
export interface GradeOfYear {
  year: number;
  grade: string;
}

/**
 * The grade that stands now: this year's once it has been through 公示, else last year's (a year's grades are
 * decided after the year has begun); null when the household has neither.
 */
export async function standingGrade(
  grades: CreditGradesService,
  householdId: number,
  year: number,
): Promise<GradeOfYear | null> {
  for (const y of [year, year - 1]) {
    const grade = await grades.gradeOf(householdId, y);
    if (grade) return { year: y, grade };
  }
  return null;
}
