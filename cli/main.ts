/**
 * The `pipewright` command line, for CI jobs and scripts:
 *   validate FILE · run FILE|PIPELINE_ID [--param name=value]… [--wait] [--json]
 *   runs [--pipeline ID] · status RUN_ID · import FILE · export PIPELINE_ID
 *   users create --email E --role R --password-stdin [--name N] · users set-password --email E --password-stdin
 *   keys create --user E --scope S [--model NAME]… [--name LABEL] · keys revoke PREFIX
 *   models list|show|promote|rollback|pending|approve|reject|import · predict NAME --file rows.json [--alias A | --version N]
 *   schedules list|create|pause|resume|trigger|delete|backfill
 * With PIPEWRIGHT_URL and PIPEWRIGHT_API_KEY, run and status talk to that server's REST API.
 */
import { parseArgs } from 'node:util';
import { ConfigError, type Env, readEnv } from '../config/env';
import { loggableError, loggableMessage } from '../db/queries/loggable-error';
import { type NodeRegistry, productionNodes } from '../workflows/node-registry';
import { keysCreateCommand, keysRevokeCommand } from './commands/keys';
import { modelsDecideCommand, modelsPendingCommand } from './commands/model-approval';
import {
  modelsListCommand,
  modelsPromoteCommand,
  modelsRollbackCommand,
  modelsShowCommand,
} from './commands/models';
import { modelsImportCommand } from './commands/models-import';
import { exportCommand, importCommand, runsCommand } from './commands/pipelines';
import { predictCommand } from './commands/predict';
import { remoteRunCommand, remoteStatusCommand } from './commands/remote';
import { runCommand } from './commands/run';
import { schedulesCommand } from './commands/schedules';
import { statusCommand } from './commands/status';
import { usersCreateCommand, usersSetPasswordCommand } from './commands/users';
import { validateCommand } from './commands/validate';
import { consoleOutput, type Output } from './output';
import { remoteServer } from './remote';
import { CliError } from './session';

const USAGE = `Usage: pipewright <command> [options]

  validate FILE                         check a pipeline file; exit 1 when it has errors
  run FILE|PIPELINE_ID [options]        start a run
      --param name=value                a pipeline parameter (repeatable)
      --wait                            wait for the end; exit 0 only if it succeeded
                                        (starts temporary services when none are running)
  runs [--pipeline ID]                  recent runs
  status RUN_ID                         a run's status, steps and metrics
  import FILE                           create a pipeline from a JSON file
  export PIPELINE_ID                    print the latest version as JSON
  users create --email E --role R --password-stdin [--name N]
                                        make an account (viewer, editor, operator or
                                        admin); the password is read from standard input
  users set-password --email E --password-stdin
                                        a new password (standard input) for an account,
                                        e.g. one locked by failed sign-ins; ends its sessions
  keys create --user E --scope S        an API key for that account (read, run, predict
      [--model NAME]… [--name LABEL]      or admin); prints the key once, alone on stdout
  keys revoke PREFIX                    revoke the key whose shown prefix starts so
  models list [--search T] [--tag T] [--alias production|staging]
                                        registered models with their production and
                                        staging versions and headline metric
  models show NAME                      a model's versions (aliases, metrics) and ledger
  models promote NAME VERSION [--alias A] --reason "…"
                                        point production (or staging) at that version
  models rollback NAME [--alias A] --reason "…"
                                        point the alias back at its previous version
  models import FILE --name MODEL [--columns a,b,c | --sample data.csv]
      [--labels x,y,z] [--set-alias production|staging|none]
                                        register an ONNX file trained elsewhere as the
                                        next version; checked on the sample first
  models pending NAME                   promotions to production waiting for approval
  models approve NAME REQUEST [--reason "…"]
  models reject NAME REQUEST --reason "…"
                                        decide one (not one you asked for yourself)
  predict NAME --file rows.json [--alias A | --version N]
                                        send the file (any body the endpoint takes) to the
                                        serving process (PIPEWRIGHT_SERVE_URL) with
                                        PIPEWRIGHT_API_KEY; prints the answer as JSON
  schedules list [--pipeline ID]        schedules with their next run
  schedules create PIPELINE_ID (--every 10m | --cron "0 6 * * *" [--timezone Europe/Paris])
      [--param name=value]… [--overlap skip|buffer|cancel|allow]
                                        prints the new schedule's id (--json: id, nextRuns)
  schedules pause|resume SCHEDULE_ID [--note "…"]
  schedules trigger|delete SCHEDULE_ID  run it now · delete it (its runs stay)
  schedules backfill SCHEDULE_ID --from ISO --to ISO [--overlap allow|buffer]
                                        one run for each time it would have fired

  With PIPEWRIGHT_URL and PIPEWRIGHT_API_KEY set, run (PIPELINE_ID only) and status
  talk to that server's REST API instead of the local database.

  --json                                machine-readable output`;

/** Runs one command; `nodes` are the node types it knows (tests add their own). */
export async function main(argv: string[], nodes: NodeRegistry): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      param: { type: 'string', multiple: true, default: [] },
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      pipeline: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      user: { type: 'string' },
      scope: { type: 'string' },
      model: { type: 'string', multiple: true, default: [] },
      search: { type: 'string' },
      tag: { type: 'string' },
      alias: { type: 'string' },
      reason: { type: 'string' },
      file: { type: 'string' },
      version: { type: 'string' },
      every: { type: 'string' },
      cron: { type: 'string' },
      timezone: { type: 'string' },
      overlap: { type: 'string' },
      note: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      columns: { type: 'string' },
      sample: { type: 'string' },
      labels: { type: 'string' },
      'set-alias': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target] = positionals;
  const out = consoleOutput(values.json);
  if (values.help || !command) {
    out.print(USAGE);
    return command || values.help ? 0 : 2;
  }
  const env = readEnv();
  const needTarget = (what: string) => {
    if (!target) throw new CliError(`${command} needs ${what}\n\n${USAGE}`);
    return target;
  };
  switch (command) {
    case 'validate':
      return validateCommand(needTarget('a FILE'), out, nodes.specOf);
    case 'run': {
      const remote = remoteServer(env);
      if (remote) {
        return remoteRunCommand(
          remote,
          needTarget('a PIPELINE_ID'),
          { params: values.param, wait: values.wait },
          out,
        );
      }
      return runCommand(
        needTarget('a FILE or PIPELINE_ID'),
        { params: values.param, wait: values.wait },
        env,
        out,
        nodes,
      );
    }
    case 'status': {
      const remote = remoteServer(env);
      return remote
        ? remoteStatusCommand(remote, needTarget('a RUN_ID'), out)
        : statusCommand(needTarget('a RUN_ID'), env, out);
    }
    case 'runs':
      if (remoteServer(env)) {
        throw new CliError('runs reads the local database; against PIPEWRIGHT_URL use status RUN_ID');
      }
      return runsCommand(values.pipeline, env, out);
    case 'import':
      return importCommand(needTarget('a FILE'), env, out);
    case 'export':
      return exportCommand(needTarget('a PIPELINE_ID'), env, out);
    case 'users':
      if (target === 'set-password') {
        return usersSetPasswordCommand(
          { email: values.email, passwordStdin: values['password-stdin'] },
          env,
          out,
        );
      }
      if (target !== 'create')
        throw new CliError(`users needs a subcommand: create or set-password\n\n${USAGE}`);
      return usersCreateCommand(
        {
          email: values.email,
          role: values.role,
          name: values.name,
          passwordStdin: values['password-stdin'],
        },
        env,
        out,
      );
    case 'keys':
      return keysCommand(target, positionals[2], values, env, out);
    case 'models':
      if (target === 'import')
        return modelsImportCommand(
          positionals[2],
          {
            name: values.name,
            columns: values.columns,
            sample: values.sample,
            labels: values.labels,
            setAlias: values['set-alias'],
          },
          env,
          out,
        );
      return modelsCommand(target, positionals.slice(2), values, env, out);
    case 'predict':
      return predictCommand(
        needTarget('a model NAME'),
        { file: values.file, alias: values.alias, version: values.version },
        env,
        out,
      );
    case 'schedules':
      if (remoteServer(env))
        throw new CliError('schedules reads the local database and Temporal; unset PIPEWRIGHT_URL');
      return schedulesCommand(
        target,
        positionals[2],
        {
          pipeline: values.pipeline,
          every: values.every,
          cron: values.cron,
          timezone: values.timezone,
          overlap: values.overlap,
          params: values.param,
          note: values.note,
          from: values.from,
          to: values.to,
        },
        env,
        out,
        nodes,
      );
    default:
      throw new CliError(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

function keysCommand(
  subcommand: string | undefined,
  prefix: string | undefined,
  values: { user?: string; scope?: string; model: string[]; name?: string },
  env: Env,
  out: Output,
): Promise<number> {
  if (subcommand === 'create') {
    return keysCreateCommand(
      { user: values.user, scope: values.scope, models: values.model, name: values.name },
      env,
      out,
    );
  }
  if (subcommand === 'revoke') {
    if (!prefix) throw new CliError('keys revoke needs the PREFIX the keys page shows, e.g. pw_abc12345');
    return keysRevokeCommand(prefix, env, out);
  }
  throw new CliError(`keys needs a subcommand: create or revoke\n\n${USAGE}`);
}

function modelsCommand(
  subcommand: string | undefined,
  rest: string[],
  values: { search?: string; tag?: string; alias?: string; reason?: string },
  env: Env,
  out: Output,
): Promise<number> {
  const [name, version] = rest;
  const needName = () => {
    if (!name) throw new CliError(`models ${subcommand} needs a model NAME\n\n${USAGE}`);
    return name;
  };
  switch (subcommand) {
    case 'list':
      return modelsListCommand(values, env, out);
    case 'show':
      return modelsShowCommand(needName(), env, out);
    case 'promote':
      return modelsPromoteCommand(needName(), version, values, env, out);
    case 'rollback':
      return modelsRollbackCommand(needName(), values, env, out);
    case 'pending':
      return modelsPendingCommand(needName(), env, out);
    case 'approve':
    case 'reject':
      return modelsDecideCommand(needName(), version, subcommand, values, env, out);
    default:
      throw new CliError(
        `models needs a subcommand: list, show, promote, rollback, pending, approve, reject or import\n\n${USAGE}`,
      );
  }
}

/** The process: runs the command line's command and exits with its code. */
export function runMain(nodes: NodeRegistry = productionNodes): void {
  main(process.argv.slice(2), nodes).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known =
        error instanceof CliError ||
        error instanceof ConfigError ||
        (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
      // A failed query's message holds its parameters (a password hash, a token): never printed.
      process.stderr.write(`pipewright: ${loggableMessage(error)}\n`);
      if (!known && error instanceof Error && process.env.PIPEWRIGHT_DEBUG)
        process.stderr.write(`${loggableError(error)}\n`);
      process.exit(2);
    },
  );
}
