/**
 * The model page's Rollout tab in Chromium against the production app: the settings (shadow chosen,
 * approval required; read-only for a viewer), production and staging side by side over a seeded
 * log of production answers and shadow pairs with feedback, a pending promotion its requester may
 * not approve (four eyes), another operator approving it (production moves, the ledger names both)
 * and rejecting another with a required reason, and an operator switching to a 30 % canary.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { upsertFeedback } from '../../db/queries/prediction-feedback';
import { insertPredictionLog, type PredictionLogRow } from '../../db/queries/prediction-log';
import { listLedger, modelAliasVersions, setModelAlias } from '../../db/queries/registry';
import { findRolloutSettings, saveRolloutSettings } from '../../db/queries/rollout';
import { setUpE2eSession } from '../support/e2e-session';
import { seedModel } from '../support/models';

const ALICE = 'alice@rollout.test';
let modelId = '';

const session = setUpE2eSession({
  accounts: { operator: ALICE, admin: 'bob@rollout.test', viewer: 'vic@rollout.test' },
  async before(fixture) {
    const { sql } = fixture.database;
    const model = await seedModel(
      sql,
      'churn',
      [{ metrics: { accuracy: 0.86 } }, { metrics: { accuracy: 0.89 } }, { metrics: { accuracy: 0.84 } }],
      {
        description: 'Which customers leave next month',
      },
    );
    modelId = model.id;
    const [alice] = await sql<{ id: string }[]>`select id from users where email = ${ALICE}`;
    const seed = {
      actorKind: 'user' as const,
      actorId: 'seed',
      actorEmail: 'seed@rollout.test',
      reason: 'first',
    };
    await setModelAlias(sql, { modelId, alias: 'production', version: 1, by: seed });
    await setModelAlias(sql, {
      modelId,
      alias: 'staging',
      version: 2,
      by: { ...seed, reason: 'challenger' },
    });
    await saveRolloutSettings(
      sql,
      modelId,
      { mode: 'shadow', canaryPercent: 10, requiresApproval: true },
      null,
    );
    // Alice asks for v2 and v3 in production: both wait.
    const byAlice = { actorKind: 'user' as const, actorId: alice?.id ?? null, actorEmail: ALICE };
    await setModelAlias(sql, {
      modelId,
      alias: 'production',
      version: 2,
      by: { ...byAlice, reason: 'v2 agrees 93 % in shadow and is faster' },
    });
    await setModelAlias(sql, {
      modelId,
      alias: 'production',
      version: 3,
      by: { ...byAlice, reason: 'try the smaller model' },
    });

    // An hour of traffic: production answers, each shadowed by staging; feedback on a quarter.
    const rows: PredictionLogRow[] = [];
    const labels: { predictionId: string; label: string }[] = [];
    const now = Date.now();
    for (let request = 0; request < 400; request++) {
      const at = new Date(now - (request * 3_600_000) / 400);
      const label = request % 3 === 0 ? 'leaves' : 'stays';
      const production: PredictionLogRow = {
        predictionId: randomUUID(),
        requestId: randomUUID(),
        modelId,
        version: 1,
        at,
        latencyMs: 1.2 + (request % 17) / 10,
        inputs: [request % 40, 'basic'],
        outputs: { label, probabilities: {} },
      };
      rows.push(production, {
        ...production,
        predictionId: randomUUID(),
        version: 2,
        latencyMs: 0.9 + (request % 13) / 10,
        outputs: {
          label: request % 15 === 0 ? (label === 'stays' ? 'leaves' : 'stays') : label,
          probabilities: {},
        },
        role: 'shadow',
        shadowOf: production.predictionId,
      });
      if (request % 4 === 0)
        labels.push({ predictionId: production.predictionId, label: request % 8 === 0 ? label : 'stays' });
    }
    await insertPredictionLog(sql, rows);
    await upsertFeedback(sql, { modelId, keyId: null, rows: labels });
  },
});

describe('Rollout tab', () => {
  it('shows the settings, the pending promotions and the side by side; the requester may not approve their own', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'operator', '/models/churn?tab=rollout');
    const tab = page.getByRole('tab', { name: 'Rollout, 2 pending promotions' });
    await tab.waitFor();
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('heading', { name: 'Traffic to staging' }).waitFor();
    expect(await page.getByRole('radio', { name: /^Shadow/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /requires approval/ }).isChecked()).toBe(true);

    const pending = page.locator('.rollout-requests tbody tr');
    await pending.first().waitFor();
    expect(await pending.count()).toBe(2);
    const approve = pending.first().getByRole('button', { name: 'Approve…' });
    expect(await approve.isDisabled()).toBe(true);
    expect(await approve.getAttribute('title')).toBe(
      'You asked for this promotion: another operator approves or rejects it.',
    );

    // Side by side: 400 requests each, agreement 373 of 400 (every 15th shadow answer differs).
    const table = page.locator('.rollout-compare tbody tr');
    await table.first().waitFor();
    expect(await table.first().locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['v1', '400', '400 answered']),
    );
    expect(await table.nth(1).locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['v2', '400', '400 as shadow']),
    );
    expect(await page.locator('.rollout-agreement strong').textContent()).toMatch(
      /^93(\.\d)?\s?% agreement$/,
    );
    await page.mouse.move(0, 0);
    await session.screenshot(page, 'rollout-tab', { fullPage: true });
  });

  it('lets another operator approve (production moves) and reject with a required reason', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'admin', '/models/churn?tab=rollout');
    const pending = page.locator('.rollout-requests tbody tr');
    await pending.first().waitFor();
    await pending.filter({ hasText: 'v2' }).getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve version 2 for production' });
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill('Shadow agreement 93 %, p95 lower; approved.');
    await session.screenshot(page, 'approval-dialog');
    await dialog.getByRole('button', { name: 'Approve and promote' }).click();
    await page.getByText('Approved: churn production is now version 2').waitFor();
    await expect
      .poll(async () => (await modelAliasVersions(session.fixture.database.sql, modelId)).production)
      .toBe(2);

    await pending.filter({ hasText: 'v3' }).getByRole('button', { name: 'Reject…' }).click();
    const reject = page.getByRole('dialog', { name: 'Reject version 3' });
    const submit = reject.getByRole('button', { name: 'Reject' });
    expect(await submit.isDisabled()).toBe(true);
    await reject.getByRole('textbox').fill('Accuracy 0.84 on the test set: below production.');
    await submit.click();
    const rejectedToast = page.getByText('Rejected: churn production stays version 2');
    await rejectedToast.waitFor();
    await page.locator('.rollout-decided li').nth(1).waitFor();
    expect(await page.locator('.rollout-requests').count()).toBe(0);
    // The screenshot without the toasts over it.
    await rejectedToast.waitFor({ state: 'hidden', timeout: 15_000 });
    await page.mouse.move(0, 0);
    await session.screenshot(page.locator('#model-panel-rollout .panel').nth(1), 'approval-decided');

    const [rejected, approved] = await listLedger(session.fixture.database.sql, modelId);
    expect(rejected).toMatchObject({
      kind: 'reject',
      toVersion: 3,
      actorEmail: 'bob@rollout.test',
      requestedByEmail: ALICE,
    });
    expect(approved).toMatchObject({
      kind: 'promote',
      fromVersion: 1,
      toVersion: 2,
      actorEmail: 'bob@rollout.test',
      requestedByEmail: ALICE,
    });

    // The ledger on the Overview tab names who asked and who approved.
    await page.getByRole('tab', { name: 'Overview' }).click();
    const newest = page.locator('.ledger-entry').first();
    await newest.waitFor();
    expect(await newest.textContent()).toContain('rejected');
    expect(await page.locator('.ledger-entry').nth(1).textContent()).toContain(`asked for by ${ALICE}`);
  });

  it('lets an operator switch to a 30 % canary; a viewer sees the settings read-only', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models/churn?tab=rollout');
    await page.getByRole('heading', { name: 'Traffic to staging' }).waitFor();
    expect(await page.getByRole('radio', { name: /^Canary/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save rollout' }).isDisabled()).toBe(true);

    await session.signIn(page, 'operator', '/models/churn?tab=rollout');
    await page.getByRole('radio', { name: /^Canary/ }).check();
    const percent = page.getByRole('spinbutton');
    await percent.fill('80');
    await page.getByText('The share is a whole number from 1 to 50 %.').waitFor();
    expect(await page.getByRole('button', { name: 'Save rollout' }).isDisabled()).toBe(true);
    await percent.fill('30');
    await page.getByRole('button', { name: 'Save rollout' }).click();
    await page.getByText(/Saved churn's rollout/).waitFor();
    await expect
      .poll(async () => findRolloutSettings(session.fixture.database.sql, modelId))
      .toEqual({ mode: 'canary', canaryPercent: 30, requiresApproval: true });
    await page.mouse.move(0, 0);
    await session.screenshot(page.locator('#model-panel-rollout .panel').first(), 'rollout-canary-settings');
  });
});
