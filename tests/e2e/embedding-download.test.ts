/**
 * The model page's "Download for embedding" in Chromium against the production app: every version
 * row offers it, to a viewer too (reading is all it needs), and clicking it downloads one .zip named
 * for the version that holds the version's model.onnx and its README.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { setUpE2eSession } from '../support/e2e-session';
import { seedModel } from '../support/models';

/** The bytes stored as each version's model.onnx: the download must hand back exactly these. */
const onnxOf = (version: number) => Buffer.from(`churn version ${version}'s graph`);

const session = setUpE2eSession({
  accounts: { viewer: 'vic@embedding.test' },
  async before(fixture) {
    await seedModel(
      fixture.database.sql,
      'churn',
      [
        { metrics: { accuracy: 0.812, f1: 0.701 }, onnx: onnxOf(1) },
        { metrics: { accuracy: 0.861, f1: 0.744 }, onnx: onnxOf(2) },
      ],
      { description: 'Which customers leave next month' },
    );
  },
});

describe('Download for embedding', () => {
  it("offers each version's ONNX file and README as one zip, to a viewer too", async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models/churn');
    await page.getByRole('heading', { name: 'churn', level: 1 }).waitFor();
    const rows = page.locator('.versions-table tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const newest = rows.first().getByRole('link', { name: 'Download for embedding' });
    expect(await newest.getAttribute('href')).toBe('/api/models/churn/versions/2/embedding');
    expect(await rows.nth(1).getByRole('link', { name: 'Download for embedding' }).getAttribute('href')).toBe(
      '/api/models/churn/versions/1/embedding',
    );
    expect(await newest.textContent()).toBe('Download for embedding');
    expect(await newest.getAttribute('title')).toMatch(
      /^Download version 2 for embedding: its model\.onnx and a README/,
    );
    // A viewer may not promote, but may download.
    expect(await rows.first().getByRole('button', { name: 'Promote…' }).isDisabled()).toBe(true);
    await session.screenshot(page, 'model-embedding-download', { fullPage: true });
    await session.screenshot(page.locator('.versions-table'), 'model-embedding-download-versions');

    const [download] = await Promise.all([page.waitForEvent('download'), newest.click()]);
    expect(download.suggestedFilename()).toBe('churn-v2-embedding.zip');
    const saved = await download.path();
    const files = unzipSync(new Uint8Array(readFileSync(saved)));
    expect(Object.keys(files).sort()).toEqual(['churn-v2/', 'churn-v2/README.md', 'churn-v2/model.onnx']);
    expect(Buffer.from(files['churn-v2/model.onnx'] ?? new Uint8Array()).equals(onnxOf(2))).toBe(true);
    const readme = new TextDecoder().decode(files['churn-v2/README.md']);
    expect(readme.startsWith('# churn v2: embedded use\n')).toBe(true);
    expect(readme).toContain('| `plan` | text | string [N, 1] | no |');
    expect(readme).toContain('1. `stays`\n2. `leaves`');
  });
});
