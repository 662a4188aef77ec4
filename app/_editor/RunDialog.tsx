'use client';

import { useState } from 'react';
import type { PipelineParameter } from '../../pipeline/document';
import { FormDialog } from '../_components/FormDialog';
import { ParameterInputs, type ParameterValues, useParameterForm } from '../_components/ParameterInputs';

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
  onStart: (values: ParameterValues) => void;
  onClose: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const form = useParameterForm(parameters, undefined, setError);
  const missing = parameters.filter((p) => form.values[p.name] === undefined || form.values[p.name] === '');

  return (
    <FormDialog
      titleId="run-dialog-title"
      title="Run with these values"
      problem={error}
      onSubmit={() => {
        if (!missing.length) onStart(form.values);
      }}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={missing.length > 0 || form.uploading !== undefined}>
            Start run
          </button>
        </>
      }
    >
      <ParameterInputs idPrefix="run-param" parameters={parameters} form={form} />
    </FormDialog>
  );
}
