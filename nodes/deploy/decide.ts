import { type Role, roleMay } from '../../access/roles';
import type { ModelAlias } from '../../registry/version-schema';
import type { DeployAction } from './spec';

/**
 * The champion/challenger comparison, when the step has a rule; and, rule or not, whether the
 * version is in production already (a retried step whose first attempt promoted it, or someone
 * promoted it since).
 */
export type Comparison =
  | { kind: 'no-production' }
  | {
      kind: 'already-production';
      /** The rule's metric, or the task's main one, and its figure recorded with the version. */
      metric: string;
      figure: number | undefined;
    }
  | {
      kind: 'scored';
      metric: string;
      margin: number;
      /** The new version's figure and the production version's, on the same test rows. */
      challenger: number;
      champion: number;
      championVersion: number;
      lowerIsBetter: boolean;
    };

export interface DecisionInput {
  action: DeployAction;
  model: string;
  version: number;
  comparison: Comparison | undefined;
  /** The person the run acts for; null when nobody is known. */
  person: { email: string; role: Role } | null;
}

export interface Decision {
  /** The alias the new version takes, or null (registered only). */
  alias: ModelAlias | null;
  /** What was decided and why, with both figures when compared: the summary's and the ledger's words. */
  reason: string;
}

/** Whether the challenger beats the champion by at least the margin, in the metric's direction. */
export function beats(comparison: Extract<Comparison, { kind: 'scored' }>): boolean {
  return comparison.lowerIsBetter
    ? comparison.challenger <= comparison.champion - comparison.margin
    : comparison.challenger >= comparison.champion + comparison.margin;
}

/**
 * What a deploy step does with the version it registered. The rule comes first (a version that
 * does not beat production takes no alias); then authority: production needs a person whose role
 * may promote, and without one the version goes to staging instead, saying why. Pure.
 */
export function decide(input: DecisionInput): Decision {
  const name = `${input.model} version ${input.version}`;
  if (input.action === 'register')
    return { alias: null, reason: `Registered ${name}; the action is register only.` };
  // Nothing to decide, and no alias to set: staging the production version (for a person who may
  // not promote) would only move staging off whatever it was trying.
  if (input.comparison?.kind === 'already-production') {
    const { metric, figure } = input.comparison;
    const measured = figure === undefined ? '' : ` (${metric} ${round(figure)})`;
    return { alias: null, reason: `Changed nothing: ${name} is already in production${measured}.` };
  }
  const compared = describeComparison(input.comparison);
  if (input.comparison?.kind === 'scored' && !beats(input.comparison))
    return {
      alias: null,
      reason: `Registered ${name} without setting ${input.action}: ${compared}.`,
    };
  const because = compared ? `: ${compared}` : '';
  if (input.action === 'staging') return { alias: 'staging', reason: `Set staging to ${name}${because}.` };
  const refusal = promotionRefusal(input.person);
  if (refusal)
    return {
      alias: 'staging',
      reason: `Set staging to ${name}, not production: ${refusal}${compared ? `. ${capitalise(compared)}` : ''}.`,
    };
  return { alias: 'production', reason: `Promoted ${name} to production${because}.` };
}

/** Why the run's person may not promote, or undefined when they may. */
function promotionRefusal(person: DecisionInput['person']): string | undefined {
  if (!person)
    return 'nobody with the operator role stands behind this run (it has no known person who started it)';
  if (roleMay(person.role, 'promote')) return undefined;
  return `the run was started by ${person.email}, whose role (${person.role}) may not promote; promoting to production needs the operator role or higher`;
}

function describeComparison(comparison: Comparison | undefined): string {
  if (!comparison || comparison.kind === 'already-production') return '';
  if (comparison.kind === 'no-production') return 'there is no version in production to compare with';
  const { metric, margin, challenger, champion, championVersion } = comparison;
  const direction = comparison.lowerIsBetter ? 'lower' : 'higher';
  const needed =
    margin === 0
      ? `${direction === 'lower' ? 'at most' : 'at least'} production's figure`
      : `${margin} ${direction} than production`;
  const verdict = beats(comparison) ? 'it beats' : 'it does not beat';
  return `${verdict} production version ${championVersion} on ${metric} (new ${round(challenger)}, production ${round(champion)}; needs ${needed})`;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
