'use client';

import { useState } from 'react';
import type { PipelineParameter } from '../../pipeline/document';
import { coerceParameterText } from '../../pipeline/parameters';

/**
 * Asks for the run's parameter values (defaults filled in); a file parameter uploads the picked
 * file first and passes its path inside DATA_DIR.
 */
export function RunDialog({
  parameters,
  onStart,
  onClose,
}: {
  parameters: PipelineParameter[];
  onStart: (values: Record<string, unknown>) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(parameters.filter((p) => p.default !== undefined).map((p) => [p.name, p.default])),
  );
  const [uploading, setUploading] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const missing = parameters.filter((p) => values[p.name] === undefined || values[p.name] === '');

  const upload = async (name: string, file: File) => {
    setUploading(name);
    setError(undefined);
    try {
      const path = await uploadParameterFile(file);
      setValues((current) => ({ ...current, [name]: path }));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setUploading(undefined);
    }
  };

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="run-dialog-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (!missing.length) onStart(values);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id="run-dialog-title">Run with these values</h2>
        {parameters.map((parameter) => (
          <div key={parameter.name} className="field">
            <label htmlFor={`run-param-${parameter.name}`}>
              {parameter.name}
              {parameter.description ? <small className="muted"> — {parameter.description}</small> : null}
            </label>
            <ParameterInput
              id={`run-param-${parameter.name}`}
              parameter={parameter}
              value={values[parameter.name]}
              uploading={uploading === parameter.name}
              onValue={(value) => setValues((current) => ({ ...current, [parameter.name]: value }))}
              onFile={(file) => void upload(parameter.name, file)}
            />
          </div>
        ))}
        {error && <p className="error-text">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={missing.length > 0 || uploading !== undefined}>
            Start run
          </button>
        </div>
      </form>
    </div>
  );
}

/** Uploads a file parameter's file; its path inside DATA_DIR is the parameter's value. */
export async function uploadParameterFile(file: File): Promise<string> {
  const response = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    body: file,
  });
  const body: unknown = await response.json();
  const path = typeof body === 'object' && body !== null && 'file' in body ? String(body.file) : undefined;
  if (!response.ok || !path) throw new Error(`Upload of ${file.name} failed (${response.status})`);
  return path;
}

/** One parameter's input as the Run dialog and the schedule form show it. */
export function ParameterInput({
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
