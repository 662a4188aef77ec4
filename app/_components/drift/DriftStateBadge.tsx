import type { DriftState } from '../../../ml/drift/drift-schemas';
import './drift.css';

const LABELS: Record<DriftState, string> = { ok: 'ok', warn: 'warning', alert: 'alert' };

/** ok, warning or alert, in the colours every drift view uses. */
export function DriftStateBadge({ state }: { state: DriftState }) {
  return <span className={`drift-state drift-${state}`}>{LABELS[state]}</span>;
}
