import type { Usage } from '../metering/usage.ts';
import type { MeasuredRun } from './measure-run.ts';

/** Usage as what it is at run time: nested records of numbers. */
type UsageTree = { [key: string]: number | UsageTree };

function combine(a: UsageTree, b: UsageTree, f: (a: number, b: number) => number): UsageTree {
  const out: UsageTree = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'object' || typeof y === 'object')
      out[key] = combine(typeof x === 'object' ? x : {}, typeof y === 'object' ? y : {}, f);
    else out[key] = f(x ?? 0, y ?? 0);
  }
  return out;
}

/**
 * One file of `rows` rows, from single files of two sizes measured: what the smaller one did is
 * the part every file does plus its rows' part; the difference is what the extra rows did. So a
 * 1 GB file gets one notification and one ledger entry, and its rows' work grows with its rows.
 * Never below zero (a duration can measure shorter on the bigger file).
 */
export function extrapolateRun(small: MeasuredRun, big: MeasuredRun, rows: number): MeasuredRun {
  const perRow = (rows - big.rowsPerFile) / (big.rowsPerFile - small.rowsPerFile);
  const usage = combine(
    // Usage has no index signature; as data it is exactly a UsageTree (records of numbers).
    small.usage as unknown as UsageTree,
    big.usage as unknown as UsageTree,
    (s, b) => Math.max(0, b + (b - s) * perRow),
  ) as unknown as Usage;
  return {
    usage,
    files: 1,
    rowsPerFile: rows,
    bytesPerFile: Math.round((big.bytesPerFile / big.rowsPerFile) * rows),
    statuses: big.statuses,
    seconds: small.seconds + big.seconds,
  };
}
