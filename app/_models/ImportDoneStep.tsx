'use client';

import type { ImportAnswer } from './model-import-client';

/** The import dialog's last step: the version registered, its alias, and whether it can be monitored. */
export function DoneStep({ result, fileName }: { result: ImportAnswer; fileName: string }) {
  return (
    <div className="import-body">
      <p className="import-done">
        <span className="state-badge state-on">✓ registered</span> {fileName} is now{' '}
        <strong>
          {result.model} version {result.version}
        </strong>
        {result.task === 'classification' ? ` (${result.labels.join(', ')})` : ''}.
      </p>
      <p className="confirm-summary">
        {result.awaitingApproval
          ? 'Promotion to production awaits approval: another operator approves or rejects it on the Rollout tab.'
          : result.alias
            ? `${result.alias === 'production' ? 'Production' : 'Staging'} now points to it. The ledger says: “${result.aliasReason ?? ''}”.`
            : 'No alias points to it: promote it from the model page when it is ready.'}
      </p>
      <p className={result.monitored ? 'confirm-summary' : 'import-note'}>
        {result.monitored
          ? `Checked on ${result.sampleRows} sample rows, which are its reference for drift monitoring.`
          : 'Checked on one row of zeros. Drift monitoring needs a sample: import again with a sample CSV to monitor it.'}
      </p>
    </div>
  );
}
