/**
 * `pipewright models list|show|promote|rollback` against a real PostgreSQL, and `pipewright predict`
 * against a stand-in serving process (a plain HTTP server that records what it was sent). A few
 * cases run the real command line (exit codes, stdout and stderr); the rest call the commands in
 * this process with the same environment, since each start of the command line costs seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  modelsListCommand,
  modelsPromoteCommand,
  modelsRollbackCommand,
  modelsShowCommand,
} from '../cli/commands/models';
import { type PredictOptions, predictCommand } from '../cli/commands/predict';
import type { Output } from '../cli/output';
import { readEnv } from '../config/env';
import { setModelTags } from '../db/queries/model-listing';
import { ensureModel, insertModelVersion, listLedger } from '../db/queries/registry';
import { auditLog } from '../db/schema';
import { createKey } from '../runtime/auth/api-keys';
import { accountsAuth, createAccount } from './support/accounts';
import { outputOf } from './support/child-output';
import { createTestDatabase, type TestDatabase } from './support/database';
import { versionFields } from './support/models';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, trainTestModel } from './support/registered-model';
import { type ServingProcess, startServingProcess } from './support/serving-process';

// The command line a user runs (`npx pipewright`).
const bin = path.resolve(import.meta.dirname, '../bin/pipewright.mjs');

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-models-'));
});
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** `pipewright ARGS` against the test database, with only the environment given. */
function pipewright(args: string[], env: Record<string, string> = {}) {
  const {
    DATABASE_URL: _database,
    PIPEWRIGHT_API_KEY: _key,
    PIPEWRIGHT_SERVE_URL: _serve,
    ...inherited
  } = process.env;
  return outputOf(
    spawn(process.execPath, [bin, ...args], {
      env: { ...inherited, DATABASE_URL: database.url, DATA_DIR: dir, ...env },
    }),
  );
}

async function addVersion(modelId: string, metrics: Record<string, number>) {
  return insertModelVersion(database.sql, modelId, versionFields({ metrics }));
}

/** What a command printed: stdout lines (print) and stderr lines (progress). */
function captured(json = false) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { json, print: (line) => stdout.push(line), progress: (line) => stderr.push(line) };
  return { out, stdout, stderr };
}

function localEnv(extra: Record<string, string> = {}) {
  return readEnv({ DATABASE_URL: database.url, DATA_DIR: dir, ...extra });
}

/** Spawning the command line takes seconds on a busy machine. */
const SPAWNING = 180_000;

describe('pipewright models', () => {
  let churnId = '';
  beforeAll(async () => {
    const churn = await ensureModel(database.sql, {
      name: 'churn',
      description: 'Who leaves',
      ownerId: null,
    });
    churnId = churn.id;
    for (const accuracy of [0.81, 0.86, 0.9]) await addVersion(churn.id, { accuracy, f1: accuracy - 0.1 });
    await setModelTags(database.sql, churn.id, ['retail']);
    const price = await ensureModel(database.sql, { name: 'price', ownerId: null });
    await addVersion(price.id, { r2: 0.5 });
  });

  it(
    'promotes with a reason: the ledger names the CLI and the OS account, the audit log too',
    async () => {
      const promoted = await pipewright(['models', 'promote', 'churn', '1', '--reason', 'first release']);
      expect(promoted.stderr).toBe('');
      expect(promoted.code).toBe(0);
      expect(promoted.stdout).toBe(
        'Promoted churn: production is now v1 (was unset). Serving switches within 2 seconds.\n',
      );
      const again = captured(true);
      expect(await modelsPromoteCommand('CHURN', '2', { reason: 'better' }, localEnv(), again.out)).toBe(0);
      expect(JSON.parse(again.stdout.join('\n'))).toEqual({
        model: 'churn',
        alias: 'production',
        from: 1,
        to: 2,
      });
      const staging = captured();
      await modelsPromoteCommand(
        'churn',
        '3',
        { alias: 'staging', reason: 'try it' },
        localEnv(),
        staging.out,
      );
      expect(staging.stdout).toEqual([
        'Promoted churn: staging is now v3 (was unset). Serving switches within 2 seconds.',
      ]);

      const osUser = os.userInfo().username;
      const ledger = await listLedger(database.sql, churnId);
      expect(
        ledger.map((entry) => [
          entry.alias,
          entry.fromVersion,
          entry.toVersion,
          entry.actorKind,
          entry.actorId,
          entry.reason,
        ]),
      ).toEqual([
        ['staging', null, 3, 'cli', osUser, 'try it'],
        ['production', 1, 2, 'cli', osUser, 'better'],
        ['production', null, 1, 'cli', osUser, 'first release'],
      ]);
      const audit = await database.db.select().from(auditLog).where(eq(auditLog.objectId, churnId));
      expect(audit).toHaveLength(3);
      expect(audit.find((entry) => JSON.stringify(entry.details).includes('better'))).toMatchObject({
        action: 'model.promoted',
        actorKind: 'cli',
        actorId: null,
        objectLabel: 'churn',
        details: { osUser, alias: 'production', from: 1, to: 2, reason: 'better' },
      });
    },
    SPAWNING,
  );

  it(
    'lists models with their aliased versions and headline metric, and filters by text, tag and alias',
    async () => {
      const listed = await pipewright(['models', 'list']);
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      const lines = listed.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^NAME\s+PRODUCTION\s+STAGING\s+LATEST\s+VERSIONS\s+HEADLINE \(production\)\s+TAGS$/,
      );
      // churn changed last (its tags and promotions), so it comes first.
      expect(lines[1]?.split(/\s{2,}/)).toEqual([
        'churn',
        'v2',
        'v3',
        'v3',
        '3',
        'accuracy 0.8600',
        'retail',
      ]);
      expect(lines[2]?.split(/\s{2,}/)).toEqual(['price', '—', '—', 'v1', '1', '—']);

      const json = captured(true);
      await modelsListCommand({}, localEnv(), json.out);
      const models = JSON.parse(json.stdout.join('\n'));
      expect(models).toHaveLength(2);
      expect(models[0]).toMatchObject({
        name: 'churn',
        description: 'Who leaves',
        tags: ['retail'],
        versions: 3,
        latestVersion: 3,
        production: { version: 2, headline: { name: 'accuracy', value: 0.86 } },
        staging: { version: 3, headline: { name: 'accuracy', value: 0.9 } },
      });
      expect(models[1]).toMatchObject({ name: 'price', production: null, staging: null, latestVersion: 1 });

      const names = async (options: Parameters<typeof modelsListCommand>[0]) => {
        const result = captured(true);
        await modelsListCommand(options, localEnv(), result.out);
        return JSON.parse(result.stdout.join('\n')).map((model: { name: string }) => model.name);
      };
      expect(await names({ search: 'LEAVES' })).toEqual(['churn']);
      expect(await names({ search: 'pri' })).toEqual(['price']);
      expect(await names({ tag: 'retail' })).toEqual(['churn']);
      expect(await names({ alias: 'staging' })).toEqual(['churn']);
      expect(await names({ alias: 'production', search: 'pri' })).toEqual([]);
      expect(await names({ search: '%' })).toEqual([]);
      const none = captured();
      await modelsListCommand({ tag: 'none' }, localEnv(), none.out);
      expect(none.stdout).toEqual(['No models match.']);
    },
    SPAWNING,
  );

  it('shows a model: versions with aliases and metrics, and the ledger newest first', async () => {
    const shown = captured();
    expect(await modelsShowCommand('Churn', localEnv(), shown.out)).toBe(0);
    const lines = shown.stdout;
    expect(lines[0]).toBe('churn — Who leaves');
    expect(lines[1]).toBe('production v2 · staging v3 · 3 versions · tags retail');
    expect(lines[3]).toMatch(/^VERSION\s+ALIASES\s+ALGORITHM\s+METRICS\s+PIPELINE\s+CREATED$/);
    expect(lines[4]?.split(/\s{2,}/).slice(0, 5)).toEqual([
      'v3',
      'staging',
      'logistic',
      'accuracy 0.9000, f1 0.8000',
      '—',
    ]);
    expect(lines[4]).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[5]?.split(/\s{2,}/).slice(0, 2)).toEqual(['v2', 'production']);
    expect(lines[6]?.split(/\s{2,}/).slice(0, 2)).toEqual(['v1', '—']);
    const ledgerAt = lines.indexOf('Ledger:');
    expect(lines.slice(ledgerAt + 1).map((line) => line.replace(/^ {2}\S+ {2}/, ''))).toEqual([
      `staging — → v3  by cli ${os.userInfo().username}: try it`,
      `production v1 → v2  by cli ${os.userInfo().username}: better`,
      `production — → v1  by cli ${os.userInfo().username}: first release`,
    ]);

    const json = captured(true);
    await modelsShowCommand('churn', localEnv(), json.out);
    const detail = JSON.parse(json.stdout.join('\n'));
    expect(
      detail.versionList.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases]),
    ).toEqual([
      [3, ['staging']],
      [2, ['production']],
      [1, []],
    ]);
    expect(detail.versionList[1].metrics).toEqual({ accuracy: 0.86, f1: expect.closeTo(0.76, 10) });
    expect(detail.ledger[0]).toMatchObject({
      alias: 'staging',
      from: null,
      to: 3,
      actorKind: 'cli',
      actor: os.userInfo().username,
      reason: 'try it',
    });
  });

  it(
    'rolls production back to the version before, and refuses (exit 2, one line) when there is none',
    async () => {
      const back = captured();
      expect(await modelsRollbackCommand('churn', { reason: 'v2 misbehaves' }, localEnv(), back.out)).toBe(0);
      expect(back.stdout).toEqual([
        'Rolled back churn: production is now v1 (was v2). Serving switches within 2 seconds.',
      ]);
      const [entry] = await listLedger(database.sql, churnId);
      expect(entry).toMatchObject({
        alias: 'production',
        fromVersion: 2,
        toVersion: 1,
        reason: 'v2 misbehaves',
      });

      const first = await pipewright(['models', 'rollback', 'churn', '--alias', 'staging', '--reason', 'x']);
      expect(first).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'pipewright: churn had no staging version before version 3 was promoted: there is nothing to roll back to. Promote another version instead.\n',
      });
    },
    SPAWNING,
  );

  it('refuses bad requests with one sentence, changing nothing', async () => {
    const before = await listLedger(database.sql, churnId);
    const env = localEnv();
    const cases: [() => Promise<number>, string][] = [
      [
        () => modelsPromoteCommand('churn', '2', {}, env, captured().out),
        '--reason is required: say why, the ledger keeps it',
      ],
      [
        () => modelsPromoteCommand('churn', '2', { reason: '   ' }, env, captured().out),
        '--reason is required: say why, the ledger keeps it',
      ],
      [
        () => modelsPromoteCommand('churn', 'two', { reason: 'r' }, env, captured().out),
        'models promote needs a VERSION number after the model name (not "two")',
      ],
      [
        () => modelsPromoteCommand('churn', undefined, { reason: 'r' }, env, captured().out),
        'models promote needs a VERSION number after the model name',
      ],
      [
        () => modelsPromoteCommand('churn', '9', { reason: 'r' }, env, captured().out),
        'churn has no version 9.',
      ],
      [
        () => modelsPromoteCommand('churn', '1', { reason: 'r' }, env, captured().out),
        "Version 1 is already churn's production version.",
      ],
      [
        () => modelsPromoteCommand('nope', '1', { reason: 'r' }, env, captured().out),
        'There is no model named nope.',
      ],
      [
        () => modelsPromoteCommand('churn', '1', { alias: 'prod', reason: 'r' }, env, captured().out),
        '--alias must be production or staging (not "prod")',
      ],
      [
        () => modelsRollbackCommand('price', { reason: 'r' }, env, captured().out),
        'price has no production version to roll back.',
      ],
      [
        () => modelsRollbackCommand('churn', {}, env, captured().out),
        '--reason is required: say why, the ledger keeps it',
      ],
      [() => modelsShowCommand('nope', env, captured().out), 'There is no model named nope.'],
      [
        () => modelsListCommand({ alias: 'canary' }, env, captured().out),
        '--alias must be production or staging (not "canary")',
      ],
    ];
    for (const [command, message] of cases) {
      await expect(command()).rejects.toMatchObject({ name: 'CliError', message });
    }
    expect(await listLedger(database.sql, churnId)).toEqual(before);
  });
});

interface Received {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A stand-in for the serving process: records each request and answers as `reply` says. */
async function standInServing(reply: (received: Received) => Reply) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const entry = {
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body,
      };
      received.push(entry);
      const answer = reply(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('pipewright predict', () => {
  const key = 'pw_predictkeyforthetest0123456789';
  const rowsBody = '{"rows": [{"mean radius": 17.99, "mean texture": 10.38}]}\n';
  const answer = {
    model: 'churn',
    version: 4,
    requestId: 'req-1',
    predictions: [{ predictionId: 'p-1', label: 'yes', probabilities: { no: 0.1, yes: 0.9 } }],
  };
  let serving: Awaited<ReturnType<typeof standInServing>>;
  let rowsFile = '';
  beforeAll(async () => {
    serving = await standInServing((received) =>
      received.url?.includes('/missing/')
        ? { status: 404, body: { error: 'There is no model named missing' } }
        : received.body.includes('"bad"')
          ? { status: 400, body: { error: 'row 1 column "mean radius" is missing', problems: [] } }
          : { status: 200, body: answer, headers: { 'x-model-version': '4', 'x-request-id': 'req-1' } },
    );
    rowsFile = path.join(dir, 'rows.json');
    writeFileSync(rowsFile, rowsBody);
  });
  afterAll(async () => {
    await serving?.close();
  });

  const servingEnv = (extra: Record<string, string> = {}) => ({
    PIPEWRIGHT_SERVE_URL: serving.url,
    PIPEWRIGHT_API_KEY: key,
    ...extra,
  });

  async function predict(name: string, options: PredictOptions, extra: Record<string, string> = {}) {
    const result = captured();
    const code = await predictCommand(
      name,
      options,
      readEnv({ DATA_DIR: dir, ...servingEnv(extra) }),
      result.out,
    );
    return { code, ...result };
  }

  it(
    'POSTs the file as it is with the bearer key, to production, an alias or a version; prints the answer',
    async () => {
      const result = await pipewright(['predict', 'churn', '--file', rowsFile], servingEnv());
      expect(result.stderr).toBe('churn v4, request req-1\n');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(answer);
      expect(serving.received.at(-1)).toEqual({
        method: 'POST',
        url: '/api/v1/models/churn/predict',
        authorization: `Bearer ${key}`,
        contentType: 'application/json',
        body: rowsBody,
      });

      expect((await predict('churn', { file: rowsFile, alias: 'staging' })).code).toBe(0);
      expect(serving.received.at(-1)?.url).toBe('/api/v1/models/churn/predict?alias=staging');
      const byVersion = await predict('churn', { file: rowsFile, version: '3' });
      expect(byVersion.code).toBe(0);
      expect(JSON.parse(byVersion.stdout.join('\n'))).toEqual(answer);
      expect(serving.received.at(-1)?.url).toBe('/api/v1/models/churn/versions/3/predict');

      // MLflow's bodies go through untouched too.
      const mlflowFile = path.join(dir, 'mlflow.json');
      const mlflowBody = '{"dataframe_split": {"columns": ["a"], "data": [[1]]}}';
      writeFileSync(mlflowFile, mlflowBody);
      expect((await predict('churn', { file: mlflowFile })).code).toBe(0);
      expect(serving.received.at(-1)).toMatchObject({ method: 'POST', body: mlflowBody });
    },
    SPAWNING,
  );

  it(
    "prints the endpoint's refusal in one line, exit 1",
    async () => {
      const badFile = path.join(dir, 'bad.json');
      writeFileSync(badFile, '{"rows": [{"bad": 1}]}');
      const refused = await pipewright(['predict', 'churn', '--file', badFile], servingEnv());
      expect(refused).toEqual({
        code: 1,
        stdout: '',
        stderr: 'pipewright: serving answered 400: row 1 column "mean radius" is missing\n',
      });
      const missing = await predict('missing', { file: rowsFile });
      expect(missing).toMatchObject({
        code: 1,
        stdout: [],
        stderr: ['pipewright: serving answered 404: There is no model named missing'],
      });
    },
    SPAWNING,
  );

  it('refuses, in one sentence and sending nothing, a missing key, file or JSON; says when serving does not answer', async () => {
    const sent = serving.received.length;
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{"rows": [');
    const cases: [string, PredictOptions, Record<string, string>, RegExp][] = [
      [
        'churn',
        { file: rowsFile },
        { PIPEWRIGHT_API_KEY: '' },
        /^PIPEWRIGHT_API_KEY is not set: create a key with the predict scope/,
      ],
      ['churn', {}, {}, /^predict needs --file with the rows as JSON/],
      ['churn', { file: path.join(dir, 'absent.json') }, {}, /absent\.json does not exist$/],
      ['churn', { file: notJson }, {}, /not\.json is not JSON: /],
      [
        'churn',
        { file: rowsFile, alias: 'canary' },
        {},
        /^--alias must be production or staging \(not "canary"\)$/,
      ],
      [
        'churn',
        { file: rowsFile, alias: 'staging', version: '2' },
        {},
        /^Give --alias or --version, not both$/,
      ],
      ['churn', { file: rowsFile, version: '0' }, {}, /^--version must be a version number \(not "0"\)$/],
      ['../etc', { file: rowsFile }, {}, /^"\.\.\/etc" is not a model name$/],
    ];
    for (const [name, options, env, message] of cases) {
      const refusal = predict(name, options, env);
      await expect(refusal).rejects.toMatchObject({
        name: 'CliError',
        message: expect.stringMatching(message),
      });
    }
    expect(serving.received).toHaveLength(sent);

    // A port nothing listens on: the one that was just freed.
    const gone = await standInServing(() => ({ status: 200, body: {} }));
    await gone.close();
    await expect(
      predict('churn', { file: rowsFile }, { PIPEWRIGHT_SERVE_URL: gone.url }),
    ).rejects.toMatchObject({
      name: 'CliError',
      message: `The serving process at ${gone.url} does not answer (ECONNREFUSED): start Pipewright with \`npm start\`, or set PIPEWRIGHT_SERVE_URL.`,
    });
  });
});

describe('pipewright predict against the serving process', () => {
  let serving: ServingProcess | undefined;
  let predictKey = '';
  let readKey = '';
  const harness = new NodeHarness();
  beforeAll(async () => {
    const model = await trainTestModel(harness);
    await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' });
    await registerTestModel(database.sql, { name: 'sizes', model, alias: 'staging' });
    const auth = accountsAuth(database.db);
    const viewer = await createAccount(auth, 'viewer');
    const owner = { id: viewer.userId, email: viewer.email, role: viewer.role };
    const actor = { actorKind: 'system', actorId: null, actorEmail: null, ipAddress: null } as const;
    predictKey = (await createKey(auth, database.db, owner, { name: 'cli', scope: 'predict' }, actor)).key;
    readKey = (await createKey(auth, database.db, owner, { name: 'read', scope: 'read' }, actor)).key;
    serving = await startServingProcess(database.url);
  }, 180_000);
  afterAll(async () => {
    await serving?.stop();
    harness.cleanup();
  });

  async function predict(name: string, options: PredictOptions, key = predictKey) {
    const result = captured();
    const env = readEnv({ DATA_DIR: dir, PIPEWRIGHT_SERVE_URL: serving?.url ?? '', PIPEWRIGHT_API_KEY: key });
    const code = await predictCommand(name, options, env, result.out);
    return { code, ...result, answer: code === 0 ? JSON.parse(result.stdout.join('\n')) : undefined };
  }

  it(
    "prints serving's predictions for each body it takes, from production, staging or a version; its refusals in one line",
    async () => {
      const rows = path.join(dir, 'sizes.json');
      writeFileSync(
        rows,
        JSON.stringify({
          rows: [
            { size: 40, weight: 30, colour: 'red' },
            { size: 1, weight: 2, colour: 'blue' },
          ],
        }),
      );
      const cli = await pipewright(['predict', 'sizes', '--file', rows], {
        PIPEWRIGHT_SERVE_URL: serving?.url ?? '',
        PIPEWRIGHT_API_KEY: predictKey,
      });
      expect(cli.code).toBe(0);
      expect(cli.stderr).toMatch(/^sizes v1, request \S+\n$/);
      const answer = JSON.parse(cli.stdout);
      expect(answer).toMatchObject({ model: 'sizes', version: 1 });
      expect(answer.predictions.map((prediction: { label: string }) => prediction.label)).toEqual([
        'big',
        'small',
      ]);
      expect(answer.predictions[0].probabilities.big).toBeGreaterThan(0.5);

      expect((await predict('sizes', { file: rows, alias: 'staging' })).answer).toMatchObject({ version: 2 });
      expect((await predict('sizes', { file: rows, version: '1' })).answer).toMatchObject({ version: 1 });

      const mlflow = path.join(dir, 'sizes-mlflow.json');
      writeFileSync(
        mlflow,
        JSON.stringify({
          dataframe_split: { columns: ['size', 'weight', 'colour'], data: [[40, 30, 'red']] },
        }),
      );
      const split = await predict('sizes', { file: mlflow });
      expect(split.answer).toEqual({ predictions: [expect.anything()] });
      expect(split.stderr).toEqual([expect.stringMatching(/^sizes v1, request \S+$/)]);

      const bad = path.join(dir, 'sizes-bad.json');
      writeFileSync(bad, JSON.stringify({ rows: [{ size: 40, colour: 'purple' }] }));
      const refused = await predict('sizes', { file: bad });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toEqual([]);
      expect(refused.stderr).toEqual([
        'pipewright: serving answered 400: The rows do not match the model\'s signature: row 0 column "weight" is missing; row 0 column "colour" has the unknown category "purple"; known: "red", "green", "blue"',
      ]);

      const noVersion = await predict('sizes', { file: rows, version: '9' });
      expect(noVersion).toMatchObject({ code: 1, stdout: [] });
      expect(noVersion.stderr[0]).toMatch(/^pipewright: serving answered 404: /);
      const wrongScope = await predict('sizes', { file: rows }, readKey);
      expect(wrongScope.code).toBe(1);
      expect(wrongScope.stderr[0]).toMatch(/^pipewright: serving answered 403: /);
      const badKey = await predict('sizes', { file: rows }, 'pw_not-a-key-at-all');
      expect(badKey.stderr[0]).toMatch(/^pipewright: serving answered 401: /);
      for (const output of [refused, noVersion, wrongScope, badKey])
        expect(output.stderr.join('\n')).not.toContain(predictKey);
    },
    SPAWNING,
  );
});
