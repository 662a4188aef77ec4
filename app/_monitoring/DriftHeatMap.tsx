import { formatNumber } from '../_components/format';
import { type Check, cellsOf, dayAndTime, featureNames, STATE_LABELS, shortDay } from './monitoring-view';

/** Column labels are written out this often at most, so a long history's header stays readable. */
const MAX_LABELS = 14;
/** With more columns than this the cells are too narrow for their PSI: colour (and tooltip) only. */
const MAX_WRITTEN = 20;

/**
 * Drift per feature over time: a row per feature, a column per check (oldest left), each cell
 * coloured by the feature's state in that check. A table, so screen readers read a cell's row and
 * column; each cell also says its state and PSI in words (aria-label and tooltip). Selecting a row
 * charts that feature.
 */
export function DriftHeatMap({
  checks,
  selected,
  onSelect,
}: {
  checks: readonly Check[];
  selected: string | undefined;
  onSelect: (feature: string) => void;
}) {
  const features = featureNames(checks);
  const every = Math.max(1, Math.ceil(checks.length / MAX_LABELS));
  return (
    <div className="heatmap-scroll">
      <table
        className={checks.length > MAX_WRITTEN ? 'heatmap heatmap-dense' : 'heatmap'}
        aria-label="Drift per feature and check"
      >
        <thead>
          <tr>
            <th scope="col" className="heatmap-corner">
              Feature
            </th>
            {checks.map((check, index) => (
              <th key={check.id} scope="col" className="heatmap-day" title={dayAndTime(check.createdAt)}>
                <span aria-hidden={index % every !== 0 && index !== checks.length - 1}>
                  {index % every === 0 || index === checks.length - 1 ? shortDay(check.createdAt) : ''}
                </span>
                <span className="visually-hidden">{dayAndTime(check.createdAt)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {features.map((feature) => {
            const cells = cellsOf(checks, feature);
            const isSelected = feature === selected;
            return (
              <tr key={feature} className={isSelected ? 'is-selected' : undefined} data-feature={feature}>
                <th scope="row">
                  <button
                    type="button"
                    className="heatmap-feature"
                    aria-pressed={isSelected}
                    title={`Chart ${feature}'s PSI over time`}
                    onClick={() => onSelect(feature)}
                  >
                    {feature}
                  </button>
                </th>
                {checks.map((check) => {
                  const cell = cells.get(check.id);
                  const state = cell?.state;
                  const label = cell
                    ? `${feature}, ${dayAndTime(check.createdAt)}: ${STATE_LABELS[cell.state]}, PSI ${formatNumber(cell.psi)}`
                    : `${feature}, ${dayAndTime(check.createdAt)}: not measured`;
                  return (
                    <td
                      key={check.id}
                      className={`heatmap-cell heatmap-${state ?? 'none'}`}
                      data-state={state ?? 'none'}
                      title={label}
                      aria-label={label}
                    >
                      <span aria-hidden="true">
                        {cell?.psi !== null && cell ? formatNumber(cell.psi, true) : ''}
                      </span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="heatmap-legend" aria-label="Legend">
        <li>
          <span className="heatmap-swatch heatmap-ok" aria-hidden="true" /> OK
        </li>
        <li>
          <span className="heatmap-swatch heatmap-warn" aria-hidden="true" /> Warning (PSI ≥ warn threshold)
        </li>
        <li>
          <span className="heatmap-swatch heatmap-alert" aria-hidden="true" /> Alert (PSI ≥ alert threshold)
        </li>
        <li>
          <span className="heatmap-swatch heatmap-unknown" aria-hidden="true" /> Unreadable or not measured
        </li>
      </ul>
    </div>
  );
}
