/**
 * Best-difficulty text as AxeOS firmware showed it ("4.29G"): the cgminer `suffix_string` rule
 * with no fixed significant digits. Below 1000 the integer part; from 1000 up, three significant
 * digits (printf "%.3g", so trailing zeros are dropped) and a K/M/G/T/P/E suffix
 * (docs/features.md §(e)2; exporters parse these suffixes back).
 */
const SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

function threeSignificant(value: number): number {
  return Number(value.toPrecision(3));
}

export function formatDifficultyAxeOS(difficulty: number): string {
  if (!Number.isFinite(difficulty) || difficulty < 0) return '0';
  if (difficulty < 1000) return String(Math.floor(difficulty));
  for (let i = 0; i < SUFFIXES.length; i++) {
    const [scale, suffix] = SUFFIXES[i]!;
    if (difficulty < scale) continue;
    const scaled = threeSignificant(difficulty / scale);
    // printf would show 999,600 as "1e+03K"; HashDeck shows "1M" instead.
    if (scaled >= 1000 && i > 0) {
      const [upScale, upSuffix] = SUFFIXES[i - 1]!;
      return `${threeSignificant(difficulty / upScale)}${upSuffix}`;
    }
    return `${scaled}${suffix}`;
  }
  return String(Math.floor(difficulty));
}
