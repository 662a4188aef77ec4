'use client';

import { useState } from 'react';
import type { PipelineParameter } from '../../pipeline/document';
import { coerceParameterText } from '../../pipeline/parameters';

/** A run's parameter values by name, as startRun and a schedule take them. */
export type ParameterValues = Record<string, unknown>;

/** What the Run dialog and the schedule form hold while their parameter values are filled in. */
export interface ParameterForm {
  values: ParameterValues;
  /** The file parameter whose file is uploading, if any: its run or save waits for it. */
  uploading: string | undefined;
  setValue: (name: string, value: unknown) => void;
  upload: (name: string, file: File) => Promise<void>;
}

/**
 * The values of a run's parameters: `saved` ones (a schedule's), else each declared default. A file
 * parameter uploads its file at once; its value is the path inside DATA_DIR. An upload's failure is
 * told to `onProblem` (and cleared when the next upload starts), so the dialog shows it with its own.
 */
export function useParameterForm(
  parameters: PipelineParameter[],
  saved: ParameterValues | undefined,
  onProblem: (message: string | undefined) => void,
): ParameterForm {
  const [values, setValues] = useState<ParameterValues>(() => saved ?? defaultValues(parameters));
  const [uploading, setUploading] = useState<string | undefined>();
  const setValue = (name: string, value: unknown) => setValues((current) => ({ ...current, [name]: value }));
  const upload = async (name: string, file: File) => {
    setUploading(name);
    onProblem(undefined);
    try {
      setValue(name, await uploadParameterFile(file));
    } catch (caught) {
      onProblem(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setUploading(undefined);
    }
  };
  return { values, uploading, setValue, upload };
}

function defaultValues(parameters: PipelineParameter[]): ParameterValues {
  return Object.fromEntries(
    parameters.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
  );
}

/**
 * One labelled input per declared parameter, its description beside the name. Each input's id is
 * `${idPrefix}-${name}`, which the browser tests fill by.
 */
export function ParameterInputs({
  idPrefix,
  parameters,
  form,
}: {
  idPrefix: string;
  parameters: PipelineParameter[];
  form: ParameterForm;
}) {
  return parameters.map((parameter) => (
    <div key={parameter.name} className="field">
      <label htmlFor={`${idPrefix}-${parameter.name}`}>
        {parameter.name}
        {parameter.description ? <small className="muted"> — {parameter.description}</small> : null}
      </label>
      <ParameterInput
        id={`${idPrefix}-${parameter.name}`}
        parameter={parameter}
        value={form.values[parameter.name]}
        uploading={form.uploading === parameter.name}
        onValue={(value) => form.setValue(parameter.name, value)}
        onFile={(file) => void form.upload(parameter.name, file)}
      />
    </div>
  ));
}

/** Uploads a file parameter's file; its path inside DATA_DIR is the parameter's value. */
export async function uploadParameterFile(file: File): Promise<string> {
  const response = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    body: file,
  });
  // A reply that is not JSON (a proxy's error page) falls to the sentence below, not a parser error.
  const body: unknown = await response.json().catch(() => undefined);
  const path = typeof body === 'object' && body !== null && 'file' in body ? String(body.file) : undefined;
  if (!response.ok || !path) throw new Error(`Upload of ${file.name} failed (${response.status})`);
  return path;
}

/** One parameter's input: a file picker (with the uploaded path), a checkbox, or a text/number box. */
function ParameterInput({
  id,
  parameter,
  value,
  uploading,
  onValue,
  onFile,
}: {
  id: string;
  parameter: PipelineParameter;
  value: unknown;
  uploading: boolean;
  onValue: (value: unknown) => void;
  onFile: (file: File) => void;
}) {
  if (parameter.type === 'file')
    return (
      <>
        <input
          id={id}
          type="file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onFile(file);
          }}
        />
        <small className="muted">{uploading ? 'Uploading…' : String(value ?? 'No file yet')}</small>
      </>
    );
  if (parameter.type === 'boolean')
    return (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        onChange={(event) => onValue(event.target.checked)}
      />
    );
  return (
    <input
      id={id}
      type={parameter.type === 'number' ? 'number' : 'text'}
      value={String(value ?? '')}
      onChange={(event) =>
        onValue(event.target.value === '' ? undefined : coerceParameterText(parameter, event.target.value))
      }
    />
  );
}
