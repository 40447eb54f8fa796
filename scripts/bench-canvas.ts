// Canvas benchmark: opens journeys of 1,000 and 5,000 steps (1.5 connections per step) in
// Chromium and measures time to interactive and the main-thread work per frame while dragging a
// step (the entry at the default zoom; a step in the middle of the journey zoomed out, with every
// step on screen); in the same run the same
// figures for the ceiling, a bare React Flow page (`/bench/canvas`: default nodes and edges, the
// same graph, a canvas of the editor's size). Bare and product phases alternate (BENCH_ROUNDS,
// default 3, of each); each figure is the median over the phases with its spread (min–max).
// Then the time one undo takes after 200 edits (1,000 steps). Prints the figures and, as its
// last line, one JSON object. Uses the e2e server (temp database, production build) on
// BENCH_PORT (default 3450). BENCH_SIZES=1000 skips the 5,000-step journey (`at5000` is null).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { openSqlite, writeTransaction } from '@/db/client';
import { insertJourney } from '@/db/store/journeys';
import { largeDraft } from '@/lib/journeys/large-draft';

const port = Number(process.env.BENCH_PORT || 3450);
const baseUrl = `http://127.0.0.1:${port}`;
/** BENCH_SIZES=1000 measures 1,000 steps only (quicker, while profiling); `at5000` is then null. */
const SIZES = process.env.BENCH_SIZES === '1000' ? [1000] : [1000, 5000];
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS || 3));
/** Pointer moves per drag: fewer at 5,000 steps, where a zoomed-out frame on a busy machine takes a second. */
const dragMoves = (steps: number) => (steps >= 5000 ? 30 : 60);
/** Generous: on a loaded machine one click on 5,000 steps can wait many seconds for the main thread. */
const ACTION_TIMEOUT_MS = 180_000;
const EDITS = 200;
/**
 * Zoomed out, the drag moves a step in the middle of the journey, on both pages: the entry sits at
 * the edge of a fitted view, where dragging it pans the canvas along (auto-pan), which is another
 * kind of work and depends on how close to the edge each page fits the graph.
 */
const middleStep = (steps: number) => `n${Math.floor(steps / 2)}`;

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not start in time');
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Frame time while dragging, as main-thread work: for each pointer move, the renderer's task
 * time (script, style, layout, paint; Chrome's Performance.getMetrics TaskDuration) from the
 * move until the frame that shows it has been produced. Unlike rAF intervals this is not floored
 * at the display's 16.7 ms refresh, so it says whether a frame fits in the budget. The step goes
 * out and comes back, so every phase starts from the same layout.
 */
async function measureDrag(page: Page, moves: number, nodeId = 'n0'): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
  };
  const box = await page.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not visible`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const frames: number[] = [];
  for (let i = 1; i <= moves; i++) {
    const out = Math.min(i, moves - i);
    const before = await taskSeconds();
    await page.mouse.move(x + out * 4, y + Math.sin(i / 5) * 20);
    // After the next animation frame and the task that follows it, the moved frame is rendered.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
    frames.push((await taskSeconds()) - before);
  }
  await page.mouse.up();
  await cdp.detach();
  return frames.slice(2).map((seconds) => seconds * 1000);
}

/** Waits until the viewport moved away from `before` and then held still for a few frames. */
async function waitForViewportToSettle(page: Page, before: string): Promise<void> {
  await page.evaluate(`new Promise((resolve, reject) => {
    const viewport = document.querySelector('.react-flow__viewport');
    const started = performance.now();
    let last = '';
    let still = 0;
    const tick = () => {
      const now = viewport.style.transform;
      still = now !== ${JSON.stringify(before)} && now === last ? still + 1 : 0;
      last = now;
      if (still >= 5) resolve();
      else if (performance.now() - started > 120000) reject(new Error('the view did not settle'));
      else requestAnimationFrame(tick);
    };
    tick();
  })`);
}

const viewportTransform = (page: Page) =>
  page.locator('.react-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
const zoomOf = (transform: string) => Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1] ?? NaN);

type Phase = { interactiveMs: number; frames: number[]; zoomedOutFrames: number[]; zoomedOut: number };

async function productPhase(context: BrowserContext, journeyId: number, steps: number): Promise<Phase> {
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  try {
    // Navigation → steps drawn and a click on a step opens its inspector.
    const started = Date.now();
    await page.goto(`${baseUrl}/journeys/${journeyId}`);
    await page.locator('.react-flow__node[data-id="n0"]').click();
    await page.locator('[data-testid="inspector"][data-node-id="n0"]').waitFor();
    const interactiveMs = Date.now() - started;
    const frames = await measureDrag(page, dragMoves(steps));
    const before = await viewportTransform(page);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await waitForViewportToSettle(page, before);
    await page.locator('[data-lod="simple"]').first().waitFor();
    const zoomedOut = zoomOf(await viewportTransform(page));
    const zoomedOutFrames = await measureDrag(page, dragMoves(steps), middleStep(steps));
    return { interactiveMs, frames, zoomedOutFrames, zoomedOut };
  } finally {
    await page.close();
  }
}

async function barePhase(
  context: BrowserContext,
  steps: number,
  size: { width: number; height: number },
): Promise<Phase> {
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  try {
    const started = Date.now();
    await page.goto(
      `${baseUrl}/bench/canvas?steps=${steps}&width=${Math.round(size.width)}&height=${Math.round(size.height)}`,
    );
    await page.locator('.react-flow__node[data-id="n0"]').click();
    await page.locator('.react-flow__node[data-id="n0"].selected').waitFor();
    const interactiveMs = Date.now() - started;
    const frames = await measureDrag(page, dragMoves(steps));
    const before = await viewportTransform(page);
    await page.getByRole('button', { name: 'Fit View' }).click();
    await waitForViewportToSettle(page, before);
    const zoomedOut = zoomOf(await viewportTransform(page));
    const zoomedOutFrames = await measureDrag(page, dragMoves(steps), middleStep(steps));
    return { interactiveMs, frames, zoomedOutFrames, zoomedOut };
  } finally {
    await page.close();
  }
}

type Summary = { median: number; min: number; max: number };
const summary = (values: number[]): Summary => ({
  median: round(percentile(values, 50)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values)),
});
const show = (s: Summary, unit = 'ms') => `${s.median} ${unit} (${s.min}–${s.max})`;

function figuresOf(phases: Phase[]) {
  return {
    interactive: summary(phases.map((p) => p.interactiveMs)),
    drag: summary(phases.map((p) => percentile(p.frames, 50))),
    zoomedOutDrag: summary(phases.map((p) => percentile(p.zoomedOutFrames, 50))),
    frames: phases.flatMap((p) => p.frames),
    zoomedOutFrames: phases.flatMap((p) => p.zoomedOutFrames),
    zoom: summary(phases.map((p) => p.zoomedOut)),
  };
}

async function main() {
  const server = spawn(process.execPath, ['scripts/e2e-server.mjs'], {
    env: { ...process.env, E2E_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => server.kill('SIGTERM');
  process.on('exit', stop);
  try {
    await waitForHealth(600_000);
    const env = JSON.parse(fs.readFileSync(path.resolve(`.e2e-env-${port}.json`), 'utf8')) as {
      databaseUrl: string;
      password: string;
    };
    const handle = openSqlite(env.databaseUrl);
    const journeys = new Map<number, { id: number; nodes: number; edges: number }>();
    for (const steps of SIZES) {
      const graph = largeDraft(steps, 'newsletter');
      const journey = await writeTransaction(
        async (db) => await insertJourney(db, { name: `Benchmark ${steps}`, graph, authorId: null }),
        handle,
      );
      journeys.set(steps, { id: journey.id, nodes: graph.nodes.length, edges: graph.edges.length });
    }

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const login = await context.newPage();
    await login.goto(`${baseUrl}/login?callbackUrl=%2Fjourneys`);
    await login.getByLabel('Email').fill('marketer@tarmo.demo');
    await login.getByLabel('Password').fill(env.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.waitForURL(/\/journeys$/);
    // Warm-up (not measured): compiles nothing (production build) but fills the server's caches,
    // and gives the editor canvas's size, which the bare page then uses.
    await login.goto(`${baseUrl}/journeys/${journeys.get(1000)!.id}`);
    const canvasBox = await login.locator('.react-flow').first().boundingBox();
    if (!canvasBox) throw new Error('the editor canvas is not visible');
    await login.close();

    const results = new Map<
      number,
      { product: ReturnType<typeof figuresOf>; bare: ReturnType<typeof figuresOf> }
    >();
    for (const steps of SIZES) {
      const product: Phase[] = [];
      const bare: Phase[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(await barePhase(context, steps, canvasBox));
        product.push(await productPhase(context, journeys.get(steps)!.id, steps));
        console.error(
          `${steps} steps, round ${round + 1}/${ROUNDS}: bare ${bare.at(-1)!.interactiveMs} ms, Tarmo ${product.at(-1)!.interactiveMs} ms`,
        );
      }
      results.set(steps, { product: figuresOf(product), bare: figuresOf(bare) });
    }

    // One undo after 200 edits, 1,000 steps.
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    await page.goto(`${baseUrl}/journeys/${journeys.get(1000)!.id}`);
    await page.locator('.react-flow__node').first().waitFor();
    for (let i = 0; i < EDITS; i++) await page.getByTestId('palette-wait').click();
    await page.locator(`.react-flow__node[data-id="wait-${EDITS}"]`).waitFor({ state: 'attached' });
    const undoMs = await page.evaluate<number>(`(async () => {
      const start = performance.now();
      document.querySelector('[data-testid="undo"]').click();
      await new Promise((resolve) => {
        const check = () =>
          document.querySelector('.react-flow__node[data-id="wait-${EDITS}"]') ? requestAnimationFrame(check) : resolve();
        check();
      });
      return performance.now() - start;
    })()`);
    await browser.close();

    const keysFor = (steps: number) => {
      const { product, bare } = results.get(steps)!;
      const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.1)) * 100) / 100;
      return {
        nodes: journeys.get(steps)!.nodes,
        edges: journeys.get(steps)!.edges,
        interactiveMs: product.interactive.median,
        dragFrameMedianMs: product.drag.median,
        dragFrameP95Ms: round(percentile(product.frames, 95)),
        dragFrames: product.frames.length,
        dragFramesOver20MsPct: round(
          (product.frames.filter((f) => f > 20).length / Math.max(1, product.frames.length)) * 100,
        ),
        dragAllVisibleFrameMedianMs: product.zoomedOutDrag.median,
        dragAllVisibleFrameP95Ms: round(percentile(product.zoomedOutFrames, 95)),
        zoomedOutDragFrameMedianMs: product.zoomedOutDrag.median,
        bareInteractiveMs: bare.interactive.median,
        bareDragFrameMedianMs: bare.drag.median,
        bareZoomedOutDragFrameMedianMs: bare.zoomedOutDrag.median,
        ratioToBare: {
          interactive: ratio(product.interactive.median, bare.interactive.median),
          dragFrame: ratio(product.drag.median, bare.drag.median),
          zoomedOutDragFrame: ratio(product.zoomedOutDrag.median, bare.zoomedOutDrag.median),
        },
        spread: {
          interactiveMs: [product.interactive.min, product.interactive.max],
          dragFrameMedianMs: [product.drag.min, product.drag.max],
          zoomedOutDragFrameMedianMs: [product.zoomedOutDrag.min, product.zoomedOutDrag.max],
          bareInteractiveMs: [bare.interactive.min, bare.interactive.max],
          bareDragFrameMedianMs: [bare.drag.min, bare.drag.max],
          bareZoomedOutDragFrameMedianMs: [bare.zoomedOutDrag.min, bare.zoomedOutDrag.max],
        },
        zoomedOutZoom: product.zoom.median,
        bareZoomedOutZoom: bare.zoom.median,
      };
    };

    const at1000 = keysFor(1000);
    const result = {
      bench: 'canvas',
      ...at1000,
      undoAfter200EditsMs: round(undoMs),
      at5000: results.has(5000) ? keysFor(5000) : null,
      rounds: ROUNDS,
      machine: { cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0]) },
      targets: {
        interactiveMs: 2000,
        dragFrameMedianMs: 16,
        zoomedOutDragFrameMedianMs: 33,
        ratioToBare: 1.5,
      },
    };
    console.log(
      `machine: ${result.machine.cpus} cores, load average ${result.machine.loadAverage1m} (a loaded machine inflates every figure; compare Tarmo with the bare page of the same run)`,
    );
    for (const steps of SIZES) {
      const { product, bare } = results.get(steps)!;
      const keys = keysFor(steps);
      console.log(
        `${keys.nodes} steps, ${keys.edges} connections; ${ROUNDS} rounds, median (min–max); Tarmo vs bare React Flow:`,
      );
      console.log(
        `  time to interactive: ${show(product.interactive)} vs ${show(bare.interactive)} → ×${keys.ratioToBare.interactive}`,
      );
      console.log(
        `  drag frame, default zoom: ${show(product.drag)} vs ${show(bare.drag)} → ×${keys.ratioToBare.dragFrame}`,
      );
      console.log(
        `  drag frame, zoomed out (all steps visible, zoom ${product.zoom.median} vs ${bare.zoom.median}): ${show(product.zoomedOutDrag)} vs ${show(bare.zoomedOutDrag)} → ×${keys.ratioToBare.zoomedOutDragFrame}`,
      );
    }
    console.log(`undo after ${EDITS} edits (1,000 steps): ${result.undoAfter200EditsMs} ms`);
    console.log(
      'targets: Tarmo within ×1.5 of the bare page on every figure; zoomed-out drag median < 33 ms at 1,000 steps',
    );
    console.log(JSON.stringify(result));
  } finally {
    stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:canvas failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
