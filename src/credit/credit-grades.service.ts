import { Injectable } from '@nestjs/common';

/**
 * 信用户评定: a village's grades of a year. (Being built: the grade rules, computing, 公示 and filing land with issue 22.)
 */
@Injectable()
export class CreditGradesService {
  /** A household's grade of a year as it stands after 公示 (filed or at least publicised), or null when it has none. */
  async gradeOf(householdId: number, year: number): Promise<string | null> {
    void householdId;
    void year;
    return null;
  }
}
