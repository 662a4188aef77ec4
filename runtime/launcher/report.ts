/** The launcher's console output: one line per component, aligned, with how long it took. */

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export const green = (text: string) => paint('32', text);
export const red = (text: string) => paint('31', text);
export const dim = (text: string) => paint('2', text);
export const bold = (text: string) => paint('1', text);

export function step(component: string, message: string): void {
  console.log(`${dim('…')} ${component.padEnd(11)} ${dim(message)}`);
}

export function done(component: string, message: string, startedAt?: number): void {
  const took = startedAt === undefined ? '' : dim(` (${formatSeconds(Date.now() - startedAt)})`);
  console.log(`${green('✓')} ${component.padEnd(11)} ${message}${took}`);
}

export function fail(component: string, message: string): void {
  console.error(`${red('✗')} ${component.padEnd(11)} ${message}`);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A crash or restart while running: not fatal, but worth a line of its own. */
export function notice(component: string, message: string): void {
  console.log(`${paint('33', '↻')} ${component.padEnd(11)} ${message}`);
}

/** Something the user should act on, though nothing failed (e.g. a file to back up). */
export function warn(component: string, message: string): void {
  console.log(`${paint('33', '!')} ${component.padEnd(11)} ${message}`);
}
