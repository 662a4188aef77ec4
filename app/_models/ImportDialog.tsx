'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { FormDialog } from '../_components/FormDialog';
import { useTRPC } from '../_trpc/client';
import {
  csvHeader,
  type GraphValueView,
  type ImportAnswer,
  importUploadedModel,
  nameFromFile,
  typeText,
  type UploadAnswer,
  uploadModelFile,
} from './model-import-client';

type AliasChoice = 'auto' | 'production' | 'staging' | 'none';
interface Sample {
  fileName: string;
  text: string;
  header: string[];
  rows: number;
}
type Stage =
  | { step: 'choose'; busy: boolean }
  | { step: 'map'; upload: UploadAnswer; busy: boolean }
  | { step: 'done'; upload: UploadAnswer; result: ImportAnswer };

/**
 * Importing a model trained elsewhere: choose an ONNX file (uploaded and described at once), see
 * the graph's inputs and outputs, name the columns (in order, for one [N, F] tensor) and the labels,
 * add a sample CSV, then Import: the worker runs the model on the sample before it is registered,
 * and a refusal shows here. The last step links to the new version.
 */
export function ImportDialog({ model, onClose }: { model?: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<Stage>({ step: 'choose', busy: false });
  const [name, setName] = useState(model ?? '');
  const [file, setFile] = useState<File>();
  const [columns, setColumns] = useState<string[]>([]);
  const [labels, setLabels] = useState('');
  const [sample, setSample] = useState<Sample>();
  const [alias, setAlias] = useState<AliasChoice>('auto');
  const [problem, setProblem] = useState<string>();

  const read = async (chosen: File) => {
    setProblem(undefined);
    setStage({ step: 'choose', busy: true });
    try {
      const upload = await uploadModelFile(chosen);
      const form = upload.graph.inputForm;
      setColumns(
        form.kind === 'matrix'
          ? Array.from(
              { length: form.features ?? sample?.header.length ?? 0 },
              (_, index) => sample?.header[index] ?? '',
            )
          : upload.graph.inputs.map((input) => input.name),
      );
      setLabels((upload.graph.labels ?? []).join(', '));
      if (!model && name.trim() === '') setName(nameFromFile(chosen.name));
      setStage({ step: 'map', upload, busy: false });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setStage({ step: 'choose', busy: false });
    }
  };

  const chooseSample = async (chosen: File | undefined) => {
    if (!chosen) return;
    const text = await chosen.text();
    const header = csvHeader(text);
    const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
    setSample({ fileName: chosen.name, text, header, rows });
    const form = stage.step === 'map' ? stage.upload.graph.inputForm : undefined;
    // A width the graph does not declare is the sample's; otherwise unnamed features take its header.
    if (form?.kind === 'matrix' && form.features === null) setColumns(header);
    else if (form?.kind === 'matrix' && columns.every((column) => column === ''))
      setColumns(columns.map((_, index) => header[index] ?? ''));
  };

  const submit = async () => {
    if (stage.step === 'choose') {
      if (file) await read(file);
      return;
    }
    if (stage.step === 'done') return onClose();
    setProblem(undefined);
    setStage({ ...stage, busy: true });
    try {
      const given = labels
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '');
      const result = await importUploadedModel(stage.upload.importId, {
        name: name.trim(),
        columns,
        labels: stage.upload.graph.task === 'classification' && given.length > 0 ? given : undefined,
        sample: sample?.text,
        setAlias: alias === 'auto' ? undefined : alias,
      });
      void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
      setStage({ step: 'done', upload: stage.upload, result });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setStage({ ...stage, busy: false });
    }
  };

  const busy = stage.step !== 'done' && stage.busy;
  return (
    <FormDialog
      titleId="import-dialog-title"
      title={stage.step === 'done' ? 'Model imported' : 'Import a model'}
      look="confirm"
      className="import-dialog"
      problem={problem}
      onSubmit={() => void submit()}
      onClose={onClose}
      actions={
        stage.step === 'done' ? (
          <>
            <button type="button" className="secondary" onClick={onClose}>
              Close
            </button>
            <Link
              className="button-link"
              href={`/models/${encodeURIComponent(stage.result.model)}`}
              onClick={onClose}
            >
              Open {stage.result.model} v{stage.result.version}
            </Link>
          </>
        ) : (
          <>
            {stage.step === 'map' && (
              <button
                type="button"
                className="secondary import-back"
                disabled={busy}
                onClick={() => {
                  setProblem(undefined);
                  setStage({ step: 'choose', busy: false });
                }}
              >
                Choose another file
              </button>
            )}
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              disabled={busy || (stage.step === 'choose' ? !file : !ready(name, columns))}
            >
              {stage.step === 'choose'
                ? busy
                  ? 'Reading the graph…'
                  : 'Read the graph'
                : busy
                  ? 'Checking on the worker…'
                  : 'Import'}
            </button>
          </>
        )
      }
    >
      {stage.step === 'choose' && (
        <ChooseStep
          model={model}
          name={name}
          onName={setName}
          onFile={(chosen) => {
            setFile(chosen);
            if (chosen) void read(chosen);
          }}
          busy={busy}
        />
      )}
      {stage.step === 'map' && (
        <MapStep
          upload={stage.upload}
          model={model}
          name={name}
          onName={setName}
          columns={columns}
          onColumns={setColumns}
          labels={labels}
          onLabels={setLabels}
          sample={sample}
          onSample={(chosen) => void chooseSample(chosen)}
          onClearSample={() => setSample(undefined)}
          alias={alias}
          onAlias={setAlias}
        />
      )}
      {stage.step === 'done' && <DoneStep result={stage.result} fileName={stage.upload.fileName} />}
    </FormDialog>
  );
}

function ready(name: string, columns: readonly string[]): boolean {
  if (columns.length === 0) return false;
  return name.trim() !== '' && columns.every((column) => column.trim() !== '');
}

function ChooseStep(props: {
  model?: string;
  name: string;
  onName: (name: string) => void;
  onFile: (file: File | undefined) => void;
  busy: boolean;
}) {
  return (
    <>
      <p className="confirm-summary">
        An ONNX file made elsewhere (scikit-learn with skl2onnx, PyTorch, XGBoost…) becomes the next version
        of a model, served, batch-scored and monitored like a trained one.
      </p>
      <ModelNameField model={props.model} name={props.name} onName={props.onName} />
      <label className="import-field">
        <span>ONNX file</span>
        <input
          type="file"
          accept=".onnx,application/octet-stream"
          disabled={props.busy}
          onChange={(event) => props.onFile(event.target.files?.[0])}
        />
        <span className="field-hint">
          At most 100 MB. The graph is read now; it runs on the worker when you import.
        </span>
      </label>
    </>
  );
}

function ModelNameField({
  model,
  name,
  onName,
}: {
  model?: string;
  name: string;
  onName: (name: string) => void;
}) {
  if (model)
    return (
      <p className="confirm-summary">
        Model <strong>{model}</strong>: the import becomes its next version.
      </p>
    );
  return (
    <label className="import-field">
      <span>Model name</span>
      <input
        value={name}
        maxLength={100}
        placeholder="churn"
        onChange={(event) => onName(event.target.value)}
      />
      <span className="field-hint">A new name creates the model; an existing one gets its next version.</span>
    </label>
  );
}

function MapStep(props: {
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

function aliasChoice(value: string): AliasChoice {
  return value === 'production' || value === 'staging' || value === 'none' ? value : 'auto';
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

function DoneStep({ result, fileName }: { result: ImportAnswer; fileName: string }) {
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
        {result.alias
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

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
