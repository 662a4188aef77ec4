import type { Metrics } from '../../ml/metrics/summary';
import type { ProductionBaseline } from './production-baseline';
import type { GateResult } from './report-schema';
import type { Gate } from './spec';

/**
 * Checks each gate against the overall or a slice's metrics. A metric that does not exist for the
 * task, or a slice that is not defined, fails its gate with the reason; a production comparison
 * with no model in production passes with a note.
 */
export function checkGates(
  gates: Gate[],
  overall: Metrics,
  slices: Map<string, Metrics>,
  production: ProductionBaseline | undefined,
): GateResult[] {
  return gates.map((gate) => {
    const scope = gate.slice === undefined ? overall : slices.get(gate.slice);
    const description = describeGate(gate);
    const base = { description, metric: gate.metric, ...(gate.slice ? { slice: gate.slice } : {}) };
    if (!scope)
      return {
        ...base,
        measured: null,
        threshold: null,
        passed: false,
        note: `No slice is named "${gate.slice}"`,
      };
    // Own keys only: a metric typed as `constructor` is unknown, not Object's constructor.
    const measured = Object.hasOwn(scope, gate.metric) ? scope[gate.metric] : undefined;
    if (measured === undefined) {
      const known = Object.keys(scope).join(', ');
      return {
        ...base,
        measured: null,
        threshold: null,
        passed: false,
        note: `No metric "${gate.metric}" here (${known})`,
      };
    }
    if (gate.compare === 'production') {
      if (!production)
        return {
          ...base,
          measured,
          threshold: null,
          passed: true,
          note: 'No model in production yet to compare with',
        };
      const current = Object.hasOwn(production.metrics, gate.metric)
        ? production.metrics[gate.metric]
        : undefined;
      // A production version measured without this metric cannot be compared: say so, let it pass.
      if (current === undefined)
        return {
          ...base,
          measured,
          threshold: null,
          passed: true,
          note: `${production.label} in production has no ${gate.metric} to compare with`,
        };
      return {
        ...base,
        measured,
        threshold: current + gate.value,
        passed: holds(measured, gate.operator, current + gate.value),
        note: `${production.label} in production measured ${current}`,
      };
    }
    return { ...base, measured, threshold: gate.value, passed: holds(measured, gate.operator, gate.value) };
  });
}

export function describeGate(gate: Gate): string {
  const scope = gate.slice === undefined ? '' : `slice ${JSON.stringify(gate.slice)} `;
  if (gate.compare === 'production') {
    const margin = gate.value === 0 ? '' : gate.value > 0 ? ` + ${gate.value}` : ` - ${-gate.value}`;
    return `${scope}${gate.metric} ${gate.operator} production${margin}`;
  }
  return `${scope}${gate.metric} ${gate.operator} ${gate.value}`;
}

function holds(measured: number, operator: Gate['operator'], threshold: number): boolean {
  switch (operator) {
    case '>=':
      return measured >= threshold;
    case '>':
      return measured > threshold;
    case '<=':
      return measured <= threshold;
    case '<':
      return measured < threshold;
  }
}
