/**
 * The editor in Chromium: `npx tsx scripts/bench/editor.ts [--nodes 200]`
 *
 * Opens a pipeline of N steps (a chain laid out in a grid) in the production app and measures the
 * time from navigation until every card is on the canvas, then drags one card for 120 frames and
 * measures frame times. Goals: a 200-node pipeline opens within one second; p95 frame time while
 * dragging under 20 ms. Embedded PostgreSQL as `pipewright run --wait` starts it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { createPipeline } from '../../db/queries/pipelines';
import type { PipelineDocument } from '../../pipeline/document';
import { startProductionApp } from '../../runtime/launcher/web-app';
import { launchBrowser } from '../../tests/support/browser';
import { ms, openBenchSession, percentile } from './harness';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '200' } } });
const count = Number(values.nodes);
const projectDir = path.resolve(import.meta.dirname, '..', '..');

/** ingest → clean → clean → …, 20 cards to a row. */
function gridPipeline(size: number): PipelineDocument {
  const ids = Array.from({ length: size }, (_, index) => `step${index + 1}`);
  return {
    schemaVersion: 1,
    nodes: ids.map((id, index) => ({
      id,
      type: index === 0 ? 'ingest' : 'clean',
      label: '',
      position: { x: (index % 20) * 260, y: Math.floor(index / 20) * 160 },
      config: {},
    })),
    edges: ids.slice(1).map((id, index) => ({
      id: `e${index}`,
      source: { node: ids[index] ?? '', port: 'data' },
      target: { node: id, port: 'data' },
    })),
    parameters: [],
    notes: [],
  };
}

async function openTime(page: Page, url: string): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await page.waitForFunction(
    (expected) => document.querySelectorAll('.react-flow__node').length === expected,
    count,
    {
      timeout: 60_000,
      polling: 'raf',
    },
  );
  return performance.now() - started;
}

/** Frame-to-frame times while the mouse drags a card across the canvas. */
async function dragFrames(page: Page): Promise<number[]> {
  const card = page.locator('.react-flow__node').nth(Math.floor(count / 2));
  const box = await card.boundingBox();
  if (!box) throw new Error('the card to drag is not on screen');
  // A string, not a function: tsx adds naming helpers to functions that do not exist in the page.
  await page.evaluate(`(() => {
    const times = [];
    window.__frames = times;
    window.__recording = true;
    const tick = (time) => {
      times.push(time);
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  for (let step = 0; step < 120; step++) {
    await page.mouse.move(box.x + 40 + step * 2, box.y + 20 + Math.sin(step / 10) * 40);
  }
  await page.mouse.up();
  const recorded: unknown = await page.evaluate('(window.__recording = false, window.__frames)');
  const times = Array.isArray(recorded) ? recorded.map(Number) : [];
  return times.slice(1).map((time, index) => time - (times[index] ?? time));
}

const session = await openBenchSession();
try {
  const { pipeline } = await createPipeline(session.database.db, {
    name: `bench editor ${Date.now()}`,
    graph: gridPipeline(count),
  });
  const app = await startProductionApp({
    projectDir,
    logFile: path.join(session.dataDir, 'logs', 'app.log'),
    // The editor needs the database only; Temporal is not asked while a pipeline is opened and edited.
    env: {
      ...process.env,
      DATABASE_URL: session.database.url,
      TEMPORAL_ADDRESS: '127.0.0.1:9',
      DATA_DIR: session.dataDir,
    },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const url = `${app.url}/pipelines/${pipeline.id}`;
    await openTime(page, url); // warm-up: first request compiles nothing but fills caches
    const opens = [];
    for (let run = 0; run < 5; run++) opens.push(await openTime(page, url));
    opens.sort((a, b) => a - b);
    const frames = (await dragFrames(page)).sort((a, b) => a - b);
    console.log(`\nEditor, ${count} steps, Chromium at 1280×800`);
    console.log(
      `  open (navigation → all cards drawn): median ${ms(percentile(opens, 0.5))}, worst ${ms(opens.at(-1) ?? Number.NaN)} (goal < 1000 ms)`,
    );
    console.log(
      `  drag: ${frames.length} frames, median ${ms(percentile(frames, 0.5))}, p95 ${ms(percentile(frames, 0.95))} (goal p95 < 20 ms)`,
    );
  } finally {
    await browser.close();
    await app.stop();
  }
} finally {
  await session.close();
}
