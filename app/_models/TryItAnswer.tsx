'use client';

import { formatLabel, formatPercent } from '../_components/format';
import { metricValue } from './format';
import { rankedProbabilities, type TryAnswer } from './try-it';

/** Serving's answer: the label with its probabilities as bars, or the value; or what was wrong, by column. */
export function TryItAnswer({ answer }: { answer: TryAnswer }) {
  if (!answer.ok) {
    return (
      <div className="try-answer try-answer-failed" role="alert">
        <strong>{answer.status === 400 ? 'The row does not fit the model' : 'No prediction'}</strong>
        {answer.problems.length > 0 ? (
          <ul className="try-problems">
            {answer.problems.map((problem) => (
              <li key={`${problem.row}-${problem.column}`}>
                <code>
                  rows[{problem.row}].{problem.column}
                </code>{' '}
                {problem.message}
              </li>
            ))}
          </ul>
        ) : (
          <p>{answer.message}</p>
        )}
      </div>
    );
  }
  const [prediction] = answer.predictions;
  return (
    <div className="try-answer" aria-live="polite">
      {prediction && 'label' in prediction ? (
        <>
          <div className="try-result">
            <span className="muted">Label</span>
            <strong className="try-label">{formatLabel(prediction.label)}</strong>
          </div>
          <ul className="probability-bars" aria-label="Class probabilities">
            {rankedProbabilities(prediction.probabilities).map(([label, probability]) => (
              <li key={label}>
                <span className="probability-label">{label}</span>
                <span className="probability-track">
                  <span
                    className="probability-fill"
                    style={{ width: `${Math.max(probability * 100, 0.5)}%` }}
                  />
                </span>
                <span className="probability-value">{formatPercent(probability)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : prediction ? (
        <div className="try-result">
          <span className="muted">Value</span>
          <strong className="try-label">{metricValue(prediction.value)}</strong>
        </div>
      ) : null}
      <p className="muted try-meta">
        {answer.model} version {answer.version} · request <code>{answer.requestId.slice(0, 8)}</code>
        {prediction && (
          <>
            {' '}
            · prediction <code>{prediction.id.slice(0, 8)}</code>
          </>
        )}
        {answer.ignoredColumns && answer.ignoredColumns.length > 0 && (
          <> · ignored columns: {answer.ignoredColumns.join(', ')}</>
        )}
      </p>
    </div>
  );
}
