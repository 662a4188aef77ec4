'use client';

import { ModelNameField } from './ImportChooseStep';
import { type AliasChoice, aliasChoice, type Sample } from './import-choices';
import { type GraphValueView, typeText, type UploadAnswer } from './model-import-client';

/**
 * The import dialog's second step: the graph's inputs and outputs, the columns (named in order for
 * one [N, F] tensor), the labels, the sample CSV and the alias.
 */
export function MapStep(props: {
  upload: UploadAnswer;
  model?: string;
  name: string;
  onName: (name: string) => void;
  columns: string[];
  onColumns: (columns: string[]) => void;
  labels: string;
  onLabels: (labels: string) => void;
  sample?: Sample;
  onSample: (file: File | undefined) => void;
  onClearSample: () => void;
  alias: AliasChoice;
  onAlias: (alias: AliasChoice) => void;
}) {
  const { graph, fileName, bytes } = props.upload;
  const form = graph.inputForm;
  return (
    <div className="import-body">
      <p className="import-file muted">
        <strong>{fileName}</strong> · {formatBytes(bytes)}
        {graph.producer ? ` · ${graph.producer}` : ''} · {graph.task}
      </p>
      <ModelNameField model={props.model} name={props.name} onName={props.onName} />
      <div className="import-graph">
        <GraphValues title="Inputs" values={graph.inputs} />
        <GraphValues title="Outputs" values={graph.outputs} />
      </div>
      <fieldset className="import-columns">
        <legend>Columns</legend>
        {form.kind === 'matrix' ? (
          <p className="field-hint">
            {form.features === null
              ? 'The graph takes one tensor of features without saying how many: add a sample CSV whose header names them, in order.'
              : `The graph takes one tensor of ${form.features} features. Name them in the order it takes them${props.sample ? '' : ', or add a sample CSV whose header names them'}.`}
          </p>
        ) : (
          <p className="field-hint">One input per column: the graph's input names are the column names.</p>
        )}
        <ol className="import-column-list">
          {props.columns.map((column, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a feature's place in the tensor is its identity.
            <li key={index}>
              <input
                aria-label={`Column ${index + 1}`}
                value={column}
                readOnly={form.kind === 'columns'}
                placeholder={`feature ${index + 1}`}
                onChange={(event) =>
                  props.onColumns(props.columns.map((each, at) => (at === index ? event.target.value : each)))
                }
              />
            </li>
          ))}
        </ol>
        {form.kind === 'matrix' &&
          props.sample &&
          (form.features === null || props.sample.header.length === form.features) && (
            <button
              type="button"
              className="link-button"
              onClick={() =>
                props.onColumns(props.sample?.header.slice(0, form.features ?? undefined) ?? props.columns)
              }
            >
              Use the sample's header
            </button>
          )}
      </fieldset>
      {graph.task === 'classification' && (
        <label className="import-field">
          <span>Labels</span>
          <input
            value={props.labels}
            placeholder="no, yes"
            onChange={(event) => props.onLabels(event.target.value)}
          />
          <span className="field-hint">
            {graph.labels
              ? 'From the graph, in the order of its probabilities. Rename them here if you like.'
              : 'The graph does not name its classes: give them, comma-separated, in the order of its probabilities.'}
          </span>
        </label>
      )}
      <div className="import-field">
        <span>Sample CSV</span>
        {props.sample ? (
          <p className="import-sample">
            <strong>{props.sample.fileName}</strong> · {props.sample.rows} rows ·{' '}
            {props.sample.header.join(', ')}{' '}
            <button type="button" className="link-button" onClick={props.onClearSample}>
              Remove
            </button>
          </p>
        ) : (
          <>
            <input
              type="file"
              aria-label="Sample CSV"
              accept=".csv,text/csv"
              onChange={(event) => props.onSample(event.target.files?.[0])}
            />
            <p className="import-note">
              Without a sample, drift monitoring has nothing to compare with. A sample (up to 10,000 rows)
              checks the model on real rows before it is registered and becomes its reference for monitoring.
            </p>
          </>
        )}
      </div>
      <label className="import-field">
        <span>Alias</span>
        <select value={props.alias} onChange={(event) => props.onAlias(aliasChoice(event.target.value))}>
          <option value="auto">Production if the model has none yet</option>
          <option value="production">Production</option>
          <option value="staging">Staging</option>
          <option value="none">None</option>
        </select>
      </label>
    </div>
  );
}

function GraphValues({ title, values }: { title: string; values: GraphValueView[] }) {
  return (
    <table className="data-table import-values">
      <caption>{title}</caption>
      <tbody>
        {values.map((value) => (
          <tr key={value.name}>
            <td className="mono">{value.name}</td>
            <td>
              {typeText(value)}
              {value.kind === 'sequence' && (
                <div className="model-sub">rewritten as a probabilities tensor</div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
