import type { DriftReport } from '../monitor-drift/report-schema';

/**
 * The retraining run's parameters with the check's facts filled in. A text value may hold
 * placeholders in double braces, replaced by plain text substitution (no expressions):
 *
 * - `{{window.from}}`, `{{window.to}}`: the checked window's start and end (ISO 8601);
 * - `{{model}}`: the model's name; `{{version}}`: the version watched; `{{state}}`: ok, warn or alert;
 * - `{{check}}`: the check's id.
 *
 * A value that is one placeholder alone takes the fact's own type (`{{version}}` gives a number).
 * Numbers and booleans pass through unchanged.
 */
export const PLACEHOLDERS = ['window.from', 'window.to', 'model', 'version', 'state', 'check'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export type ParameterValue = string | number | boolean;

/** A parameter whose placeholder cannot be filled: the message names the parameter and why. */
export class PlaceholderError extends Error {
  override name = 'PlaceholderError';
}

const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

type ReportFacts = Pick<DriftReport, 'model' | 'version' | 'state' | 'checkId'> & {
  current: { window: DriftReport['current']['window'] };
};

function factOf(report: ReportFacts, name: Placeholder): string | number | null {
  switch (name) {
    case 'window.from':
      return report.current.window?.from ?? null;
    case 'window.to':
      return report.current.window?.to ?? null;
    case 'model':
      return report.model;
    case 'version':
      return report.version;
    case 'state':
      return report.state;
    case 'check':
      return report.checkId;
  }
}

export function fillParameters(
  parameters: Readonly<Record<string, ParameterValue>>,
  report: ReportFacts,
): Record<string, ParameterValue> {
  const filled: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(parameters)) {
    filled[name] = typeof value === 'string' ? fillText(name, value, report) : value;
  }
  return filled;
}

function fillText(parameter: string, text: string, report: ReportFacts): ParameterValue {
  const lookup = (name: string): string | number => {
    if (!isPlaceholder(name))
      throw new PlaceholderError(
        `Parameter "${parameter}" uses {{${name}}}, which is not known: use one of ${PLACEHOLDERS.map((known) => `{{${known}}}`).join(', ')}`,
      );
    const fact = factOf(report, name);
    if (fact === null)
      throw new PlaceholderError(
        `Parameter "${parameter}" uses {{${name}}}, but the check had no window (its current side was a dataset input)`,
      );
    return fact;
  };
  const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(text);
  if (whole) return lookup(whole[1] ?? '');
  return text.replace(PATTERN, (_match, name: string) => String(lookup(name)));
}
