/**
 * 乡镇总览的公平性提示: is a scorer's concentration of reward records on a few households unlikely by chance for the
 * village's size? Pure arithmetic, no database: the service counts, this decides. The README section
 * "乡镇总览的公平性提示" states the same test and threshold in words.
 */

/** A signal fires when the (Bonferroni-corrected) chance is below this. */
export const FAIRNESS_ALPHA = 0.01;
/** Fewer reward records than this in a period say nothing either way: not tested. */
export const CONCENTRATION_MIN_RECORDS = 10;
/** The statistic: how many of the scorer's records went to the households that got the most of them. */
export const CONCENTRATION_TOP = 3;

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1] + Math.log(i);
  return logFactorials[n];
}

const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** P[X ≥ s] for X ~ Binomial(n, p), summed exactly term by term (in logs, so that tiny tails do not underflow early). */
export function binomialTail(n: number, p: number, s: number): number {
  if (s <= 0) return 1;
  if (s > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let total = 0;
  for (let i = s; i <= n; i++)
    total += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log(1 - p));
  return Math.min(1, total);
}

export interface ConcentrationResult {
  /** Reward records of the scorer in the period, and how many went to the top households. */
  records: number;
  top: number;
  /** How many households the top is (fewer than CONCENTRATION_TOP in a tiny village). */
  topHouseholds: number;
  /** Chance of a concentration at least this strong if the records fell uniformly on the village's households. */
  pValue: number;
}

/**
 * The top-k concentration of one scorer's records in a village of `households` active households. Under the null
 * hypothesis (each record goes to any household with the same chance) the records of any fixed set of k households
 * follow Binomial(n, k/N); the top k is the largest of the C(N, k) sets, so by the union bound
 * P[top ≥ s] ≤ C(N, k) · P[Binomial(n, k/N) ≥ s]. The bound is conservative: a fair village fires even less often
 * than the threshold says.
 */
export function concentration(counts: number[], households: number): ConcentrationResult {
  const records = counts.reduce((a, b) => a + b, 0);
  const n = Math.max(households, counts.length);
  const k = Math.min(CONCENTRATION_TOP, counts.length);
  const top = [...counts]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((a, b) => a + b, 0);
  // Every household among the top: nothing is concentrated.
  if (k === 0 || k >= n) return { records, top, topHouseholds: k, pValue: 1 };
  const sets = Math.exp(logChoose(n, k));
  return {
    records,
    top,
    topHouseholds: k,
    pValue: Math.min(1, sets * binomialTail(records, k / n, top)),
  };
}

/** Whether a tested pattern fires, `tests` being how many scorer–village pairs were tested for the period. */
export function fires(result: ConcentrationResult, tests: number): boolean {
  return result.records >= CONCENTRATION_MIN_RECORDS && result.pValue < FAIRNESS_ALPHA / Math.max(1, tests);
}

const UNITS: [number, string][] = [
  [1e-2, '百分之'],
  [1e-3, '千分之'],
  [1e-4, '万分之'],
  [1e-5, '十万分之'],
  [1e-6, '百万分之'],
];

/** A chance in words a township officer reads aloud: 约万分之 3.2, 不到百万分之一. */
export function chanceInWords(p: number): string {
  if (p < 1e-6) return '不到百万分之一';
  for (const [unit, word] of UNITS) if (p >= unit) return `约${word} ${Number((p / unit).toFixed(1))}`;
  return '不到百万分之一';
}
