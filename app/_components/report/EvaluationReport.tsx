'use client';

import { type ReactNode, useId, useMemo, useState } from 'react';
import { trapezoidArea } from '../../../ml/metrics/curves';
import type {
  ClassCurve,
  GateResult,
  EvaluationReport as Report,
  ReportMetrics,
} from '../../../nodes/evaluate/report-schema';
import { formatCount, formatLabel, formatNumber, formatSeconds } from '../format';
import { HistogramChart, Legend, ScatterChart, type Series, seriesColors, UnitLineChart } from './charts';
import { ImportanceBars, TOP_FEATURES } from './ImportanceBars';
import { type ImportanceKind, ImportanceKindSwitch } from './ImportanceKindSwitch';
import { algorithmLabels, headlineMetrics, lowerIsBetter, metricDescription, metricLabel } from './metrics';
import './report.css';

export interface EvaluationReportProps {
  report: Report;
}

/** What an evaluate step measured: gates, metrics, slices and the charts behind them. */
export function EvaluationReport({ report }: EvaluationReportProps) {
  const classification = report.task === 'classification';
  return (
    <div className="eval-report">
      <Summary report={report} />
      {report.gates.length > 0 && <Gates gates={report.gates} />}
      <Metrics report={report} />
      {report.slices.length > 0 && <Slices report={report} />}
      {classification && report.confusionMatrix && (
        <ConfusionMatrix labels={report.confusionMatrix.labels} matrix={report.confusionMatrix.matrix} />
      )}
      {classification && report.curves && report.curves.length > 0 && (
        <Curves curves={report.curves} metrics={report.metrics} />
      )}
      {!classification && report.residuals && report.residuals.length > 0 && (
        <Residuals report={report} residuals={report.residuals} />
      )}
      <Importances report={report} />
    </div>
  );
}

function Section({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="report-section" aria-labelledby={id}>
      <header className="report-section-head">
        <h3 id={id}>{title}</h3>
        {aside}
      </header>
      {children}
    </section>
  );
}

function Summary({ report }: { report: Report }) {
  const failed = report.gates.filter((gate) => !gate.passed).length;
  const classes = report.confusionMatrix?.labels.length;
  return (
    <div className="report-summary">
      <div className="report-summary-text">
        <strong>{algorithmLabels[report.algorithm] ?? report.algorithm}</strong> model predicting{' '}
        <code>{report.target}</code>{' '}
        <span className="report-muted">
          (
          {report.task === 'classification'
            ? `classification${classes ? `, ${classes} classes` : ''}`
            : 'regression'}
          )
        </span>
        <div className="report-muted">
          Measured on {formatCount(report.rows)} test rows · trained on {formatCount(report.training.rows)}{' '}
          rows in {formatSeconds(report.training.seconds)}
        </div>
      </div>
      {report.gates.length > 0 && (
        <span className={`report-verdict ${failed ? 'is-bad' : 'is-ok'}`}>
          {failed
            ? `${failed} of ${report.gates.length} gate${report.gates.length === 1 ? '' : 's'} failed`
            : report.gates.length === 1
              ? 'The gate passed'
              : `All ${report.gates.length} gates passed`}
        </span>
      )}
    </div>
  );
}

const operatorSymbols: Record<string, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };

function Gates({ gates }: { gates: GateResult[] }) {
  return (
    <Section title="Gates">
      <ul className="report-gates">
        {gates.map((gate, index) => {
          const operator = /\s(>=|<=|>|<)\s/.exec(gate.description)?.[1];
          return (
            // Two gates may read the same; their order is what tells them apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed for a report
            <li key={index} className={gate.passed ? 'is-ok' : 'is-bad'}>
              <span className={`report-badge ${gate.passed ? 'is-ok' : 'is-bad'}`}>
                {gate.passed ? 'Passed' : 'Failed'}
              </span>
              <div className="report-gate-body">
                <div className="report-gate-name">
                  {metricLabel(gate.metric)}
                  {gate.slice && <span className="report-muted"> · slice “{gate.slice}”</span>}
                </div>
                <code className="report-gate-rule">{gate.description}</code>
                {gate.note && <div className="report-gate-note">{gate.note}</div>}
              </div>
              <dl className="report-gate-values">
                <div>
                  <dt>Measured</dt>
                  <dd>{formatNumber(gate.measured)}</dd>
                </div>
                <div>
                  <dt>Threshold</dt>
                  <dd>
                    {gate.threshold === null
                      ? '–'
                      : `${operator ? `${operatorSymbols[operator] ?? operator} ` : ''}${formatNumber(gate.threshold)}`}
                  </dd>
                </div>
              </dl>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Metrics({ report }: { report: Report }) {
  const names = headlineMetrics[report.task].filter((name) => report.metrics[name] !== undefined);
  const others = Object.keys(report.metrics);
  const validation = report.training.validation;
  const classes = report.confusionMatrix?.labels ?? [];
  const positive = classes.length === 2 ? classes[1] : undefined;
  return (
    <Section title="Test metrics">
      <div
        className="report-tiles"
        style={{
          gridTemplateColumns: `repeat(${names.length <= 4 ? Math.max(1, names.length) : 3}, minmax(0, 1fr))`,
        }}
      >
        {names.map((name) => (
          <div key={name} className="report-tile" title={`${metricDescription(name) ?? ''} (${name})`.trim()}>
            <div className="report-tile-label">{metricLabel(name)}</div>
            <div className="report-tile-value">{formatNumber(report.metrics[name])}</div>
            {report.training.metrics[name] !== undefined && (
              <div className="report-tile-sub">training {formatNumber(report.training.metrics[name])}</div>
            )}
          </div>
        ))}
      </div>
      {report.task === 'classification' && classes.length > 0 && (
        <p className="report-note">
          {positive !== undefined
            ? `Precision, recall and F1 are those of the positive class “${formatLabel(positive)}”.`
            : `Precision, recall and F1 are macro averages over the ${classes.length} classes.`}
        </p>
      )}
      <details className="report-details">
        <summary>All metrics ({others.length})</summary>
        <div className="report-table-wrap">
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">
                  Test
                </th>
                <th scope="col" className="num">
                  Training
                </th>
                {validation && (
                  <th scope="col" className="num">
                    Validation
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {others.map((name) => (
                <tr key={name}>
                  <th scope="row">
                    {metricLabel(name)} <code className="report-metric-name">{name}</code>
                  </th>
                  <td className="num">{formatNumber(report.metrics[name])}</td>
                  <td className="num">{formatNumber(report.training.metrics[name])}</td>
                  {validation && <td className="num">{formatNumber(validation.metrics[name])}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </Section>
  );
}

/** Clearly worse than the whole test set: 0.05 below for scores, 10% above for errors. */
function worseThan(name: string, value: number, overall: number): boolean {
  return lowerIsBetter(name) ? value > overall * 1.1 && value - overall > 1e-12 : value < overall - 0.05;
}

function Slices({ report }: { report: Report }) {
  const columns = (
    report.task === 'classification' ? ['accuracy', 'precision', 'recall', 'f1'] : headlineMetrics.regression
  ).filter((name) => report.metrics[name] !== undefined);
  const cell = (name: string, metrics: ReportMetrics, compare: boolean) => {
    const value = metrics[name];
    const overall = report.metrics[name];
    const worse = compare && value !== undefined && overall !== undefined && worseThan(name, value, overall);
    return (
      <td
        key={name}
        className={`num${worse ? ' is-worse' : ''}`}
        title={worse ? `Worse than on all test rows (${formatNumber(overall)})` : undefined}
      >
        {formatNumber(value)}
        {worse && <span className="report-sr-only"> (worse than overall)</span>}
      </td>
    );
  };
  return (
    <Section title="Slices">
      <div className="report-table-wrap">
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">Slice</th>
              <th scope="col" className="num">
                Rows
              </th>
              {columns.map((name) => (
                <th key={name} scope="col" className="num" title={name}>
                  {metricLabel(name)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="is-overall">
              <th scope="row">All test rows</th>
              <td className="num">{formatCount(report.rows)}</td>
              {columns.map((name) => cell(name, report.metrics, false))}
            </tr>
            {report.slices.map((slice) => (
              <tr key={slice.name}>
                <th scope="row">{slice.name}</th>
                <td className="num">{formatCount(slice.rows)}</td>
                {slice.rows === 0 ? (
                  <td colSpan={columns.length} className="report-muted">
                    No test rows fall in this slice
                  </td>
                ) : (
                  columns.map((name) => cell(name, slice.metrics, true))
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="report-note">Values in red are clearly worse than on all test rows.</p>
    </Section>
  );
}

function ConfusionMatrix({ labels, matrix }: { labels: (string | number | boolean)[]; matrix: number[][] }) {
  const totals = matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  const all = totals.reduce((sum, count) => sum + count, 0);
  const correct = matrix.reduce((sum, row, index) => sum + (row[index] ?? 0), 0);
  return (
    <Section title="Confusion matrix">
      <div className="report-table-wrap">
        <table
          className={`confusion-matrix${labels.length > 5 ? ' is-compact' : ''}`}
          data-testid="confusion-matrix"
        >
          <caption className="report-sr-only">
            Confusion matrix: actual class in rows, predicted class in columns, with each cell&apos;s share of
            its actual class
          </caption>
          <thead>
            <tr>
              <td className="cm-corner" />
              <th scope="colgroup" colSpan={labels.length} className="cm-axis">
                Predicted
              </th>
              <td className="cm-corner" />
            </tr>
            <tr>
              <th scope="col" className="cm-axis cm-actual-head">
                Actual
              </th>
              {labels.map((label) => (
                <th key={String(label)} scope="col" className="cm-label" title={formatLabel(label)}>
                  {formatLabel(label)}
                </th>
              ))}
              <th scope="col" className="cm-label cm-total">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, actual) => {
              const label = labels[actual] ?? actual;
              const total = totals[actual] ?? 0;
              return (
                <tr key={String(label)}>
                  <th scope="row" className="cm-label" title={formatLabel(label)}>
                    {formatLabel(label)}
                  </th>
                  {row.map((count, predicted) => {
                    const share = total ? count / total : 0;
                    const diagonal = actual === predicted;
                    const alpha = count ? 0.1 + 0.8 * share : 0;
                    const rgb = diagonal ? '59, 91, 219' : '224, 49, 49';
                    const predictedLabel = labels[predicted] ?? predicted;
                    return (
                      <td
                        key={String(predictedLabel)}
                        className={`cm-cell${alpha > 0.5 ? ' is-dark' : ''}`}
                        style={{ background: alpha ? `rgba(${rgb}, ${alpha.toFixed(3)})` : undefined }}
                        title={`Actual ${formatLabel(label)}, predicted ${formatLabel(predictedLabel)}: ${formatCount(count)} rows (${Math.round(share * 100)}% of actual ${formatLabel(label)})`}
                      >
                        <span className="cm-count">{formatCount(count)}</span>
                        <span className="cm-share">{Math.round(share * 100)}%</span>
                      </td>
                    );
                  })}
                  <td className="cm-total num">{formatCount(total)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="report-note">
        Rows are the actual class, columns the predicted one: {formatCount(correct)} of {formatCount(all)}{' '}
        test rows lie on the diagonal (predicted right). Shading is each cell&apos;s share of its actual
        class.
      </p>
    </Section>
  );
}

/** Average precision: precision at each recall step, weighted by how far recall moved. */
function averagePrecision(points: ClassCurve['precisionRecall']): number {
  let previous = 0;
  let area = 0;
  for (const point of points) {
    area += (point.recall - previous) * point.precision;
    previous = point.recall;
  }
  return area;
}

/** Above this many classes the curves are shown one class at a time. */
const MAX_LINES = seriesColors.length;

function Curves({ curves, metrics }: { curves: ClassCurve[]; metrics: ReportMetrics }) {
  const binary = curves.length === 1;
  const [picked, setPicked] = useState(0);
  const selectId = useId();
  const measured = useMemo(
    () =>
      curves.map((curve, index) => ({
        curve,
        name: formatLabel(curve.class),
        color: seriesColors[index % seriesColors.length] ?? '#3b5bdb',
        auc: trapezoidArea(curve.roc.map((point) => ({ x: point.fpr, y: point.tpr }))),
        ap: averagePrecision(curve.precisionRecall),
      })),
    [curves],
  );
  const shown = measured.length > MAX_LINES ? measured.filter((_, index) => index === picked) : measured;
  const single = shown.length === 1 ? shown[0] : undefined;
  // Binary: the exact AUC of all test rows, not the area under the thinned curve.
  const auc = binary ? (metrics.roc_auc ?? single?.auc) : single?.auc;
  const roc: Series[] = shown.map((item) => ({
    name: item.name,
    color: item.color,
    points: item.curve.roc.map((point) => ({ x: point.fpr, y: point.tpr })),
  }));
  const pr: Series[] = shown.map((item) => {
    const points = item.curve.precisionRecall.map((point) => ({ x: point.recall, y: point.precision }));
    const first = points[0];
    return { name: item.name, color: item.color, points: first ? [{ x: 0, y: first.y }, ...points] : [] };
  });
  // The precision of predicting every row positive: what a model without skill reaches.
  const baseline = single?.curve.precisionRecall.at(-1)?.precision;
  const subject = single ? (binary ? `class “${single.name}”` : `“${single.name}” against the rest`) : '';
  return (
    <Section
      title={
        binary ? 'ROC and precision–recall curves' : 'ROC and precision–recall, one class against the rest'
      }
      aside={
        measured.length > MAX_LINES ? (
          <label className="report-inline-field" htmlFor={selectId}>
            Class{' '}
            <select id={selectId} value={picked} onChange={(event) => setPicked(Number(event.target.value))}>
              {measured.map((item, index) => (
                <option key={item.name} value={index}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
        ) : undefined
      }
    >
      <div className="report-charts">
        <figure className="report-chart">
          <figcaption>
            ROC curve
            {single && auc !== undefined
              ? ` · AUC ${formatNumber(auc, true)}`
              : metrics.roc_auc !== undefined
                ? ` · AUC ${formatNumber(metrics.roc_auc, true)} (macro)`
                : ''}
          </figcaption>
          <UnitLineChart
            title={`ROC curve${subject ? ` of ${subject}` : ''}${single && auc !== undefined ? `, AUC ${formatNumber(auc)}` : ''}`}
            summary={
              single
                ? 'True positive rate against false positive rate as the threshold falls; the dashed diagonal is a model that guesses.'
                : shown.map((item) => `${item.name}: AUC ${formatNumber(item.auc)}`).join('; ')
            }
            xLabel="False positive rate"
            yLabel="True positive rate"
            series={roc}
            reference={{ from: [0, 0], to: [1, 1], label: 'Random guessing' }}
          />
        </figure>
        <figure className="report-chart">
          <figcaption>Precision–recall{single ? ` · AP ${formatNumber(single.ap, true)}` : ''}</figcaption>
          <UnitLineChart
            title={`Precision–recall curve${subject ? ` of ${subject}` : ''}${single ? `, average precision ${formatNumber(single.ap)}` : ''}`}
            summary={
              single
                ? `Precision against recall as the threshold falls; the dashed line is the share of positive rows (${formatNumber(baseline ?? 0)}).`
                : shown.map((item) => `${item.name}: average precision ${formatNumber(item.ap)}`).join('; ')
            }
            xLabel="Recall"
            yLabel="Precision"
            series={pr}
            reference={
              single && baseline !== undefined
                ? { from: [0, baseline], to: [1, baseline], label: 'Share of positive rows' }
                : undefined
            }
          />
        </figure>
      </div>
      {shown.length > 1 && (
        <Legend
          items={shown.map((item) => ({
            name: item.name,
            color: item.color,
            detail: `AUC ${formatNumber(item.auc, true)} · AP ${formatNumber(item.ap, true)}`,
          }))}
        />
      )}
      <p className="report-note">
        Dashed lines:{' '}
        {single ? 'a model that guesses (ROC) and the share of positive rows (PR).' : 'a model that guesses.'}{' '}
        AP is the average precision, the area under the precision–recall curve.
      </p>
    </Section>
  );
}

function Residuals({ report, residuals }: { report: Report; residuals: NonNullable<Report['residuals']> }) {
  const points = residuals.map((point) => ({
    x: point.predicted,
    y: point.actual,
    label: `Predicted ${formatNumber(point.predicted)}, actual ${formatNumber(point.actual)} (residual ${formatNumber(point.residual)})`,
  }));
  const sample = residuals.length < report.rows ? ` (a sample of ${formatCount(residuals.length)})` : '';
  return (
    <Section title="Predictions and residuals">
      <div className="report-charts">
        <figure className="report-chart">
          <figcaption>Predicted against actual</figcaption>
          <ScatterChart
            title={`Predicted against actual ${report.target}`}
            summary={`${formatCount(residuals.length)} test rows; RMSE ${formatNumber(report.metrics.rmse)}. Dots on the dashed line are predicted exactly.`}
            xLabel={`Predicted ${report.target}`}
            yLabel={`Actual ${report.target}`}
            points={points}
          />
        </figure>
        <figure className="report-chart">
          <figcaption>Residuals (actual − predicted)</figcaption>
          <HistogramChart
            title="Distribution of residuals"
            summary={`Residuals of ${formatCount(residuals.length)} test rows in 20 bins; the dashed line is zero error.`}
            xLabel="Residual"
            yLabel="Rows"
            values={residuals.map((point) => point.residual)}
            marker={0}
          />
        </figure>
      </div>
      <p className="report-note">
        One dot per test row{sample}. Dots on the diagonal are predicted exactly; above it the model
        under-predicts, below it over-predicts. Residuals centred on zero mean no overall bias.
      </p>
    </Section>
  );
}

function Importances({ report }: { report: Report }) {
  const hasPermutation = report.permutationImportances.length > 0;
  const [kind, setKind] = useState<ImportanceKind>('model');
  const modelLabel = report.algorithm === 'linear' ? 'Coefficient size' : 'Split gain';
  const list = kind === 'permutation' && hasPermutation ? report.permutationImportances : report.importances;
  const explanation =
    kind === 'permutation' && hasPermutation
      ? `Drop in ${report.task === 'classification' ? 'accuracy' : 'R²'} on the test rows when the feature's values are shuffled. Near zero or below: the model does not rely on it (or a correlated feature stands in).`
      : report.algorithm === 'linear'
        ? 'Mean absolute coefficient, as a share of the total; comparable between features only when they share a scale (standardised).'
        : "Each feature's share of the model's total split gain, learned on the training rows.";
  return (
    <Section
      title="Feature importance"
      aside={
        hasPermutation ? (
          <ImportanceKindSwitch kind={kind} onChange={setKind} modelLabel={modelLabel} />
        ) : undefined
      }
    >
      <ImportanceBars items={list} />
      <p className="report-note">
        {explanation}
        {list.length > TOP_FEATURES ? ` Top ${TOP_FEATURES} of ${list.length} features.` : ''}
      </p>
    </Section>
  );
}
