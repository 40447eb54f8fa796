// Shared by the bench:* scripts: medians, spreads and percentiles, the loop that alternates raw
// and product phases, timed repeats, peak-RSS sampling, the load average, the CSV rows the ingest
// benches import, and waiting for `next start`. A ratio from one phase of each moves with whatever else the machine does in that moment;
// the median of several alternating phases, printed with its spread, holds still.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Spread {
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** "0.59–0.77" */
export function formatSpread(values: readonly number[], digits = 2): string {
  const { min, max } = spread(values);
  return `${min.toFixed(digits)}–${max.toFixed(digits)}`;
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Nearest-rank percentile (p in 0–100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Interleaved {
  /** Per phase, what `product` returned (e.g. rows per second). */
  product: number[];
  /** Per phase, what `raw` returned. */
  raw: number[];
  /** Per phase, product / raw of that phase. */
  ratios: number[];
  /** The median ratio. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
}

/**
 * Alternates raw and product phases, `phases` of each (raw first unless `productFirst`), each
 * returning a rate (higher is better); the ratio of each phase pairs it with the raw phase next to it.
 */
export async function interleave(options: {
  phases: number;
  raw: (phase: number) => Promise<number>;
  product: (phase: number) => Promise<number>;
  productFirst?: boolean;
  onPhase?: (phase: number, product: number, raw: number) => void;
}): Promise<Interleaved> {
  const product: number[] = [];
  const raw: number[] = [];
  const ratios: number[] = [];
  for (let phase = 1; phase <= options.phases; phase++) {
    let productRate: number;
    let rawRate: number;
    if (options.productFirst) {
      productRate = await options.product(phase);
      rawRate = await options.raw(phase);
    } else {
      rawRate = await options.raw(phase);
      productRate = await options.product(phase);
    }
    product.push(productRate);
    raw.push(rawRate);
    ratios.push(productRate / rawRate);
    options.onPhase?.(phase, productRate, rawRate);
  }
  const { min, max } = spread(ratios);
  return { product, raw, ratios, ratio: median(ratios), ratioMin: min, ratioMax: max };
}

/** "ratio 0.52 (median of 3, spread 0.49–0.55)" */
export function describeRatio(result: Interleaved, digits = 2): string {
  return `ratio ${result.ratio.toFixed(digits)} (median of ${result.ratios.length}, spread ${formatSpread(result.ratios, digits)})`;
}

/**
 * Repeats `unit` (which returns how many things it did) until at least `minSeconds` have passed
 * and it ran at least `minUnits` times; returns the count, the seconds and the rate per second.
 */
export async function repeatFor(
  minSeconds: number,
  unit: () => Promise<number> | number,
  minUnits = 1,
): Promise<{ done: number; seconds: number; perSecond: number; units: number }> {
  let done = 0;
  let units = 0;
  const started = performance.now();
  while (units < minUnits || performance.now() - started < minSeconds * 1000) {
    done += await unit();
    units++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { done, seconds, perSecond: done / seconds, units };
}

export const mb = (bytes: number) => bytes / 1048576;

/**
 * Samples this process's resident set every `intervalMs` (and on `sample()`); the peak also counts
 * the kernel's own high-water mark (resourceUsage().maxRSS), which catches spikes between samples.
 */
export function rssSampler(intervalMs = 25) {
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  let timer: NodeJS.Timeout | undefined = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    /** Peak since the sampler started (sampled only). */
    peakBytes: () => Math.max(peak, process.memoryUsage().rss),
    peakMb: () => mb(Math.max(peak, process.memoryUsage().rss)),
    /** The process's high-water mark since it started (kernel), in MB. */
    processPeakMb: () => mb(Math.max(peak, process.resourceUsage().maxRSS * 1024)),
    /** Restarts the sampled peak from now (after a garbage collection, when exposed). */
    reset() {
      globalThis.gc?.();
      peak = process.memoryUsage().rss;
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/** "load average 3.1 / 2.8 / 2.5 on 2 CPUs" — absolute figures move with it; ratios much less. */
export function loadLine(): string {
  const [one, five, fifteen] = os.loadavg();
  return `load average ${one!.toFixed(1)} / ${five!.toFixed(1)} / ${fifteen!.toFixed(1)} on ${os.cpus().length} CPUs`;
}

export function loadAverage1(): number {
  return round(os.loadavg()[0]!, 2);
}

// ---- CSV rows for the ingest benches ---------------------------------------------------------

export interface BenchCsvRow {
  email: string;
  customerNo: string;
  name: string;
  language: string;
  city: string;
  segment: string;
}

export const BENCH_CSV_HEADER = 'email,customer_no,name,language,city,segment';

/** The import mapping of the bench CSV's columns. */
export const BENCH_CSV_MAPPING = {
  columns: {
    email: 'email',
    customer_no: 'externalId',
    name: 'name',
    language: 'locale',
    city: 'attribute',
    segment: 'attribute',
  },
} as const;

export function benchCsvRow(i: number): BenchCsvRow {
  return {
    email: `person${i}@bench.example`,
    customerNo: `C${String(i).padStart(7, '0')}`,
    name: `Person ${i}`,
    language: i % 3 === 0 ? 'de' : 'en',
    city: ['Turku', 'Tampere', 'Oulu', 'Berlin'][i % 4]!,
    segment: i % 5 === 0 ? 'loyal' : 'new',
  };
}

/** The consent columns a consent phase adds to the bench CSV: every row grants, with evidence. */
const BENCH_CONSENT_HEADER = ',consent,consent_source,consent_evidence';
const BENCH_CONSENT_CELLS = ',yes,shop form,"ticked box on 2024-05-01"';

/** The bench CSV's mapping with its consent columns, granting the demo purpose `newsletter`. */
export const BENCH_CONSENT_CSV_MAPPING = {
  columns: {
    ...BENCH_CSV_MAPPING.columns,
    consent: 'consent',
    consent_source: 'consentSource',
    consent_evidence: 'consentEvidence',
  },
  consentPurpose: 'newsletter',
} as const;

/**
 * Writes rows [first, first + count) with backpressure, so generating them does not inflate memory;
 * with `consent`, every row also carries a granted consent with its source and evidence.
 */
export async function writeBenchCsv(
  file: string,
  first: number,
  count: number,
  consent = false,
): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  const consentCells = consent ? BENCH_CONSENT_CELLS : '';
  await write(`${BENCH_CSV_HEADER}${consent ? BENCH_CONSENT_HEADER : ''}\n`);
  for (let i = first; i < first + count; i++) {
    const r = benchCsvRow(i);
    await write(
      `${r.email},${r.customerNo},"${r.name}",${r.language},${r.city},${r.segment}${consentCells}\n`,
    );
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

// ---- the production server --------------------------------------------------------------------

/** Waits until `url` answers 2xx (the app's /api/health), polling every `everyMs`. */
/** Consent phases import people of their own: their rows start here, past any plain phase's. */
const CONSENT_ROWS_FIRST = 50_000_000;

/**
 * One product phase of the CSV import benchmarks (both stores): writes the phase's bench CSV,
 * imports it through the pipeline the web app runs, and answers rows per second and the peak RSS
 * sampled meanwhile; throws unless every row was imported. With `consent`, every row of the file
 * also grants the demo purpose `newsletter` (one ledger event, receipt and webhook check each).
 * The store modules are loaded here, after the caller has pointed the environment at its database.
 */
export async function importBenchPhase(
  dataDir: string,
  phase: number,
  rows: number,
  options: { consent?: boolean } = {},
): Promise<{ rowsPerSecond: number; peakBytes: number }> {
  const { createImportJob } = await import('@/db/store/imports');
  const { runImportJob } = await import('@/lib/import/run');
  const consent = options.consent ?? false;
  const csvPath = path.join(dataDir, `bench-import-${consent ? 'consent-' : ''}${phase}.csv`);
  const first = (consent ? CONSENT_ROWS_FIRST : 0) + (phase - 1) * rows;
  await writeBenchCsv(csvPath, first, rows, consent);
  const job = await createImportJob({ fileName: path.basename(csvPath), createdBy: null });
  const sampler = rssSampler(25);
  sampler.reset();
  const started = performance.now();
  const result = await runImportJob({
    jobId: job.id,
    mapping: consent ? BENCH_CONSENT_CSV_MAPPING : BENCH_CSV_MAPPING,
    dryRun: false,
    actorId: null,
    filePath: csvPath,
  });
  const seconds = (performance.now() - started) / 1000;
  const peakBytes = sampler.peakBytes();
  sampler.stop();
  fs.rmSync(csvPath, { force: true });
  if (result.importedRows !== rows || (consent && result.problems.length > 0))
    throw new Error(
      `imported ${result.importedRows} of ${rows} rows: ${JSON.stringify(result.problems.slice(0, 3))}`,
    );
  return { rowsPerSecond: rows / seconds, peakBytes };
}

/**
 * The consent import of the ingest benches: `phases` imports of `rowsPerPhase` rows whose every
 * row grants a purpose, each printed; answers the median rows per second (undefined for no rows).
 */
export async function consentImportPhases(
  phases: number,
  rowsPerPhase: number,
  importPhase: (phase: number, rows: number) => Promise<{ rowsPerSecond: number }>,
): Promise<{ rows: number; rowsPerSecond: number } | undefined> {
  if (rowsPerPhase <= 0) return undefined;
  const rates: number[] = [];
  for (let phase = 1; phase <= phases; phase++) {
    const { rowsPerSecond } = await importPhase(phase, rowsPerPhase);
    rates.push(rowsPerSecond);
    console.log(`consent import phase ${phase}: ${rowsPerPhase} rows, ${Math.round(rowsPerSecond)} rows/s`);
  }
  const rowsPerSecond = median(rates);
  console.log(
    `consent import: ${Math.round(rowsPerSecond)} rows/s (median of ${phases}, spread ${formatSpread(rates, 0)}), a ledger event, evidence, a signed receipt and a consent state per row; ${loadLine()}`,
  );
  return { rows: rowsPerPhase * phases, rowsPerSecond };
}

export async function waitForHealth(url: string, timeoutMs = 120_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

// ---- flags ----------------------------------------------------------------------------------

/** `--name N` among `args` (a non-negative integer), or `fallback`. */
export function intFlag(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

/** `--name S` among `args` (seconds, may be fractional, > 0), or `fallback`. */
export function secondsFlag(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number of seconds`);
  return value;
}
