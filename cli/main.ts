/**
 * The `pipewright` command line, for CI jobs and scripts:
 *   validate FILE · run FILE|PIPELINE_ID [--param name=value]… [--wait] [--json]
 *   runs [--pipeline ID] · status RUN_ID · import FILE · export PIPELINE_ID
 *   users create --email E --role R --password-stdin [--name N] · users set-password --email E --password-stdin
 *   keys create --user E --scope S [--model NAME]… [--name LABEL] · keys revoke PREFIX
 * With PIPEWRIGHT_URL and PIPEWRIGHT_API_KEY, run and status talk to that server's REST API.
 */
import { parseArgs } from 'node:util';
import { ConfigError, type Env, readEnv } from '../config/env';
import { type NodeRegistry, productionNodes } from '../workflows/node-registry';
import { keysCreateCommand, keysRevokeCommand } from './commands/keys';
import { exportCommand, importCommand, runsCommand } from './commands/pipelines';
import { remoteRunCommand, remoteStatusCommand } from './commands/remote';
import { runCommand } from './commands/run';
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

/** The process: runs the command line's command and exits with its code. */
export function runMain(nodes: NodeRegistry = productionNodes): void {
  main(process.argv.slice(2), nodes).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known =
        error instanceof CliError ||
        error instanceof ConfigError ||
        (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
      process.stderr.write(`pipewright: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!known && error instanceof Error && process.env.PIPEWRIGHT_DEBUG)
        process.stderr.write(`${error.stack}\n`);
      process.exit(2);
    },
  );
}
