import { DomainError } from '../common/domain-error.js';

/** A grade of a village's rules: the year's earned points and stars a household needs for it. */
export interface GradeLevel {
  name: string;
  minPoints: number;
  minStars: number;
}

/** What a household brings to its grade: the year's earned points, its stars, and whether it was on a black list. */
export interface GradeFacts {
  earned: number;
  stars: number;
  blackListed: boolean;
}

/** The rules a village starts from on its form (AAA / AA / A / B), until its 村民代表会议 votes its own. */
export const SUGGESTED_LEVELS: GradeLevel[] = [
  { name: 'AAA', minPoints: 300, minStars: 4 },
  { name: 'AA', minPoints: 200, minStars: 3 },
  { name: 'A', minPoints: 100, minStars: 2 },
  { name: 'B', minPoints: 0, minStars: 0 },
];
export const LEVELS_MIN = 2;
export const LEVELS_MAX = 6;

/**
 * A household's grade: the highest grade whose points and stars it reaches (the last grade is everybody else's); on the
 * year's black list, at most `blackListGrade`.
 */
export function gradeFor(levels: GradeLevel[], blackListGrade: string, facts: GradeFacts): string {
  const reached = levels.findIndex((l) => facts.earned >= l.minPoints && facts.stars >= l.minStars);
  let at = reached < 0 ? levels.length - 1 : reached;
  const cap = levels.findIndex((l) => l.name === blackListGrade);
  if (facts.blackListed && cap > at) at = cap;
  return levels[at].name;
}

/** What is wrong with a village's rules, field by field (the form's names: `levels.<i>.<field>`), or null. */
export function levelsError(levels: GradeLevel[], blackListGrade: string): Record<string, string> | null {
  const wrong: Record<string, string> = {};
  const names = new Set<string>();
  levels.forEach((l, i) => {
    if (names.has(l.name)) wrong[`levels.${i}.name`] = `等级“${l.name}”重复了`;
    names.add(l.name);
    const next = levels[i + 1];
    if (next && (l.minPoints < next.minPoints || l.minStars < next.minStars))
      wrong[`levels.${i}.minPoints`] = `“${l.name}”的门槛不能低于下一级“${next.name}”`;
  });
  const last = levels[levels.length - 1];
  if (last && (last.minPoints !== 0 || last.minStars !== 0))
    wrong[`levels.${levels.length - 1}.minPoints`] =
      `最低一级“${last.name}”是其余农户的等级，积分和星级门槛都应为 0`;
  if (!names.has(blackListGrade)) wrong.blackListGrade = '上黑榜农户最高评到哪一级，请从上面的等级中选';
  return Object.keys(wrong).length > 0 ? wrong : null;
}

/**
 * A run's life: computed (and recomputed) → 公示 → submitted to the township → filed, or returned to be computed or
 * publicised again. Filed is final.
 */
export const RUN_STATUSES = ['COMPUTED', 'PUBLICIZING', 'SUBMITTED', 'RETURNED', 'FILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  COMPUTED: '已评定，待公示',
  PUBLICIZING: '公示中',
  SUBMITTED: '已报乡镇备案',
  RETURNED: '乡镇退回',
  FILED: '乡镇已备案',
};

export type RunStep = 'compute' | 'publicize' | 'object' | 'answer' | 'submit' | 'file' | 'return';

/** Which states each step may start from; the message says why not, in the committee's words. */
const MOVES: Record<RunStep, { from: readonly RunStatus[]; refused: (s: RunStatus) => string }> = {
  compute: {
    from: ['COMPUTED', 'RETURNED'],
    refused: (s) =>
      s === 'FILED'
        ? '这一年的信用等级已经乡镇备案，不能重新评定'
        : s === 'SUBMITTED'
          ? '已报乡镇备案，等乡镇备案或退回后才能重新评定'
          : '正在公示，不能重新评定；对某户有异议请在答复异议时调整',
  },
  publicize: {
    from: ['COMPUTED', 'RETURNED'],
    refused: (s) => (s === 'FILED' ? '这一年的信用等级已经乡镇备案' : '已经公示过了'),
  },
  object: { from: ['PUBLICIZING'], refused: () => '只能在信用等级公示期内提出异议' },
  answer: { from: ['PUBLICIZING'], refused: () => '信用等级已不在公示中，不能再答复异议' },
  submit: {
    from: ['PUBLICIZING'],
    refused: (s) => (s === 'FILED' ? '这一年的信用等级已经乡镇备案' : '信用等级公示后才能报乡镇备案'),
  },
  file: {
    from: ['SUBMITTED'],
    refused: (s) => (s === 'FILED' ? '这一年的信用等级已经备案了' : '村里还没有报来备案'),
  },
  return: {
    from: ['SUBMITTED'],
    refused: (s) => (s === 'FILED' ? '已经备案，不能退回' : '村里还没有报来备案'),
  },
};

/** Refuses a step the run's state does not allow (409 INVALID_STATE). */
export function assertRunMove(status: RunStatus, step: RunStep): void {
  const move = MOVES[step];
  if (!move.from.includes(status)) throw new DomainError('INVALID_STATE', move.refused(status));
}

/** States in which a household's grade stands for others to rely on (a bank, the board): publicised or filed. */
export const STANDING_STATUSES: readonly RunStatus[] = ['PUBLICIZING', 'SUBMITTED', 'FILED'];

/**
 * 信用村: a village is a credit village when at least VILLAGE_SHARE of its graded households are above the lowest grade
 * (with AAA/AA/A/B: at A or above) and no more than VILLAGE_MAX_BLACK households were on a black list that year.
 */
export const VILLAGE_SHARE = 0.8;
export const VILLAGE_MAX_BLACK = 2;

/** The rule in words, as the township's overview states it. */
export const VILLAGE_GRADE_RULE = `高于最低一级的农户占 ${VILLAGE_SHARE * 100}% 以上，且本年上过黑榜的不超过 ${VILLAGE_MAX_BLACK} 户，为信用村`;

export interface VillageGrade {
  grade: '信用村' | '未达标';
  households: number;
  aboveLowest: number;
  /** Percent, one decimal. */
  share: number;
  blackListed: number;
  reason: string;
}

export function villageGradeOf(lowest: string, grades: string[], blackListed: number): VillageGrade {
  const aboveLowest = grades.filter((g) => g !== lowest).length;
  const share = grades.length === 0 ? 0 : aboveLowest / grades.length;
  const ok = grades.length > 0 && share >= VILLAGE_SHARE && blackListed <= VILLAGE_MAX_BLACK;
  const percent = Math.round(share * 1000) / 10;
  return {
    grade: ok ? '信用村' : '未达标',
    households: grades.length,
    aboveLowest,
    share: percent,
    blackListed,
    reason: `高于${lowest}级的 ${aboveLowest}/${grades.length} 户（${percent}%，需 ${VILLAGE_SHARE * 100}%），黑榜 ${blackListed} 户（至多 ${VILLAGE_MAX_BLACK} 户）`,
  };
}
