'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { FormDialog } from '../_components/FormDialog';
import { useTRPC } from '../_trpc/client';
import { ChooseStep } from './ImportChooseStep';
import { DoneStep } from './ImportDoneStep';
import { MapStep } from './ImportMapStep';
import type { AliasChoice, Sample } from './import-choices';
import {
  csvHeader,
  type ImportAnswer,
  importUploadedModel,
  nameFromFile,
  type UploadAnswer,
  uploadModelFile,
} from './model-import-client';

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
