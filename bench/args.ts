/**
 * Command line of `npm run bench` (dist/bench/main.js) and the sizes of its cases.
 *
 *   --runs N        every row runs N times (default 3), rows interleaved run by run; the median
 *                   is the figure, min–max the spread
 *   --quick         smaller cases (≈ 1–2 min in all on 2 cores); replica-placement rows left out
 *   --only A,B      only rows whose name contains A or B (case-insensitive; 'A$': ends with A),
 *                   plus the rows they are judged against (the ring, the memory case of a disk row …)
 *   --json FILE     every figure of every run, medians, ratios and verdicts, as JSON
 *   --list          print the row names and exit
 *   --smoke         tiny cases whose figures mean nothing: for the test that checks the bench runs
 */
import { parseArgs } from 'node:util';

export interface Sizes {
  ringRecords: { 100: number; 1024: number };
  /** Bytes per e2e case (records = min(e2eMaxRecords, e2eBytes / record size)). */
  e2eBytes: number;
  e2eMaxRecords: number;
  remoteRecords: number;
  scaleRecords: number;
  scalePartitions: readonly number[];
  thousandPartitions: number;
  probeSends: number;
  storageCaseMs: number;
  /** Placement 'replica' rows (one worker per replica) beside the default 'spu'. */
  replicaPlacement: boolean;
}

export const SIZES = {
  full: {
    ringRecords: { 100: 10_000_000, 1024: 2_000_000 }, e2eBytes: 128e6, e2eMaxRecords: 1_000_000, remoteRecords: 250_000,
    scaleRecords: 400_000, scalePartitions: [1, 16, 64, 1000], thousandPartitions: 1000, probeSends: 1000, storageCaseMs: 350, replicaPlacement: true,
  },
  quick: {
    ringRecords: { 100: 3_000_000, 1024: 1_000_000 }, e2eBytes: 48e6, e2eMaxRecords: 200_000, remoteRecords: 100_000,
    scaleRecords: 100_000, scalePartitions: [1, 16, 64, 1000], thousandPartitions: 1000, probeSends: 300, storageCaseMs: 150, replicaPlacement: false,
  },
  smoke: {
    ringRecords: { 100: 200_000, 1024: 50_000 }, e2eBytes: 2e6, e2eMaxRecords: 20_000, remoteRecords: 5_000,
    scaleRecords: 5_000, scalePartitions: [1, 16, 64, 1000], thousandPartitions: 1000, probeSends: 50, storageCaseMs: 20, replicaPlacement: false,
  },
} as const satisfies Record<string, Sizes>;

export interface BenchArgs { runs: number; quick: boolean; smoke: boolean; only: string[]; json: string | null; list: boolean; sizes: Sizes }

export const MAX_RUNS = 99;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      json: { type: 'string' },
      list: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= MAX_RUNS)) throw new RangeError(`--runs must be an integer 1..${MAX_RUNS}, got '${values.runs}'`);
  const only = (values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim().toLowerCase()).filter((o) => o !== '');
  if (values.json !== undefined && values.json.trim() === '') throw new RangeError('--json needs a file name');
  const quick = values.quick === true;
  const smoke = values.smoke === true;
  return { runs, quick, smoke, only, json: values.json ?? null, list: values.list === true, sizes: smoke ? SIZES.smoke : quick ? SIZES.quick : SIZES.full };
}
