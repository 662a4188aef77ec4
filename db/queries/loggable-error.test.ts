import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { errorHeadline, loggableError } from './loggable-error';

const failed = () => {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email"'), {
    code: '23505',
  });
  return new DrizzleQueryError(
    'insert into "users" ("email", "hash") values ($1, $2)',
    ['a@b.c', 'scrypt$s3cret'],
    cause,
  );
};

describe('a failed query in a log line', () => {
  it('shows the query and its cause, never its parameters', () => {
    const line = loggableError(failed());
    expect(line).toMatch(
      /^Failed query: insert into "users" \("email", "hash"\) values \(\$1, \$2\)\n\(its parameters are not logged\)\ncause: Error: duplicate key value violates unique constraint "users_email" \(code 23505\)\n\s+at /,
    );
    expect(line).not.toContain('scrypt$s3cret');
    expect(errorHeadline(failed())).not.toContain('a@b.c');
  });

  it('drops the parameters from an error that copied the query error into its own message', () => {
    const wrapped = new Error(`could not save: ${failed().message}`, { cause: failed() });
    const line = loggableError(wrapped);
    expect(line).toContain('could not save: Failed query: insert into "users"');
    expect(line).toContain('params: (not logged)');
    expect(line).toContain('caused by: Failed query:');
    expect(line).not.toContain('scrypt$s3cret');
    expect(errorHeadline(wrapped)).toBe(
      'Error: could not save: Failed query: insert into "users" ("email", "hash") values ($1, $2)\nparams: (not logged)',
    );
  });
});
