import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChoiceSelect } from '../_components/ChoiceSelect';
import { formatNumber } from '../_components/format';
import { STATE_COLORS, timeAxisProps } from './chart-parts';
import {
  type Check,
  featureNames,
  fullDateTime,
  psiSeries,
  STATE_LABELS,
  thresholdsOf,
} from './monitoring-view';

/**
 * One feature's PSI over time against its warn and alert thresholds, with the latest check's other
 * statistics beside it (KS or chi-square p-value, Jensen–Shannon, Wasserstein, missing-rate change).
 */
export function FeatureDriftChart({
  checks,
  feature,
  onFeature,
}: {
  checks: readonly Check[];
  feature: string;
  onFeature: (feature: string) => void;
}) {
  const points = psiSeries(checks, feature);
  const thresholds = thresholdsOf(checks, feature);
  const latest = [...checks]
    .reverse()
    .find((check) => check.features.some((cell) => cell.feature === feature));
  const cell = latest?.features.find((each) => each.feature === feature);
  const highest = Math.max(0, ...points.map((point) => point.psi ?? 0), thresholds?.psiAlert ?? 0);
  const axis = timeAxisProps(points.map((point) => point.t));
  return (
    <div className="feature-chart">
      <div className="chart-head">
        <h3 id="feature-chart-title">PSI of {feature} over time</h3>
        <label className="chart-picker">
          Feature
          <ChoiceSelect
            value={feature}
            choices={featureNames(checks).map((name) => ({ value: name, label: name }))}
            onChoose={onFeature}
          />
        </label>
      </div>
      <div className="feature-chart-body">
        <div className="chart-box" role="img" aria-labelledby="feature-chart-title">
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={points} margin={{ top: 10, right: 64, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eef0f3" />
              <XAxis {...axis} />
              <YAxis
                type="number"
                domain={[0, Math.ceil(highest * 11) / 10]}
                tickFormatter={(value: number) => formatNumber(value, true)}
                tick={{ fontSize: 11 }}
                width={44}
              />
              {thresholds && (
                <ReferenceLine
                  y={thresholds.psiWarn}
                  stroke={STATE_COLORS.warn}
                  strokeDasharray="5 4"
                  label={{
                    value: `warn ${thresholds.psiWarn}`,
                    position: 'right',
                    fontSize: 11,
                    fill: '#b35c00',
                  }}
                />
              )}
              {thresholds && (
                <ReferenceLine
                  y={thresholds.psiAlert}
                  stroke={STATE_COLORS.alert}
                  strokeDasharray="5 4"
                  label={{
                    value: `alert ${thresholds.psiAlert}`,
                    position: 'right',
                    fontSize: 11,
                    fill: '#c92a2a',
                  }}
                />
              )}
              <Tooltip
                content={({ active, payload }) => {
                  const t: unknown = payload?.[0]?.payload?.t;
                  const point = active ? points.find((each) => each.t === t) : undefined;
                  if (!point) return null;
                  const state = point.state;
                  return (
                    <div className="chart-tooltip">
                      <strong>PSI {formatNumber(point.psi)}</strong>
                      <div style={{ color: STATE_COLORS[state] }}>{STATE_LABELS[state]}</div>
                      <div className="muted">{fullDateTime(new Date(point.t))}</div>
                    </div>
                  );
                }}
              />
              <Line
                type="linear"
                dataKey="psi"
                stroke="#3b5bdb"
                strokeWidth={2}
                connectNulls
                isAnimationActive={false}
                dot={(props: { cx?: number; cy?: number; index?: number }) => {
                  const point = props.index === undefined ? undefined : points[props.index];
                  if (!point || point.psi === null || props.cx === undefined || props.cy === undefined)
                    return <g key={props.index} />;
                  return (
                    <circle
                      key={props.index}
                      cx={props.cx}
                      cy={props.cy}
                      r={4}
                      fill={STATE_COLORS[point.state]}
                      stroke="#fff"
                      strokeWidth={1.5}
                    />
                  );
                }}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
        {cell && latest && (
          <dl className="feature-facts" aria-label={`${feature} in the latest check`}>
            <div>
              <dt>State</dt>
              <dd>
                <span className={`state-pill state-${cell.state}`}>{STATE_LABELS[cell.state]}</span>
              </dd>
            </div>
            <div>
              <dt>PSI</dt>
              <dd>{formatNumber(cell.psi)}</dd>
            </div>
            <div>
              <dt>{cell.kind === 'categorical' ? 'Chi-square p-value' : 'KS p-value'}</dt>
              <dd>{formatNumber(cell.pValue)}</dd>
            </div>
            <div>
              <dt>Jensen–Shannon</dt>
              <dd>{formatNumber(cell.jensenShannon)}</dd>
            </div>
            {cell.kind !== 'categorical' && (
              <div>
                <dt>Wasserstein</dt>
                <dd>{formatNumber(cell.wasserstein)}</dd>
              </div>
            )}
            <div>
              <dt>Missing change</dt>
              <dd>
                {cell.missingChange === null
                  ? '–'
                  : `${cell.missingChange >= 0 ? '+' : ''}${formatNumber(cell.missingChange * 100, true)} pp`}
              </dd>
            </div>
          </dl>
        )}
      </div>
    </div>
  );
}
