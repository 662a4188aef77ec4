import type { BetterAuthOptions } from 'better-auth';
import { errorHeadline, loggableText } from '../../db/queries/loggable-error';

type LogLevel = Parameters<NonNullable<NonNullable<BetterAuthOptions['logger']>['log']>>[0];

/**
 * Better-auth logs failed requests itself, with the error they threw: a failed query's error holds
 * its parameters (session tokens, password hashes). Its lines keep the message and, of an error,
 * only its name, message and code; any other value is named by its type.
 */
export function logAuthLine(level: LogLevel, message: string, ...values: unknown[]): void {
  const shown = values.map((value) =>
    typeof value === 'string' || value instanceof Error ? errorHeadline(value) : `[${typeof value}]`,
  );
  const line = ['[better-auth]', loggableText(message), ...shown].join(' ');
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
