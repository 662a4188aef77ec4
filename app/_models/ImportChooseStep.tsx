'use client';

/** The import dialog's first step: the model's name and the ONNX file (uploaded when chosen). */
export function ChooseStep(props: {
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

/** The model's name: fixed when the dialog opens on a model's page, else typed (a new name creates the model). */
export function ModelNameField({
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
