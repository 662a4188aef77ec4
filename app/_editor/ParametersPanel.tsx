'use client';

import { type PipelineParameter, parameterTypes } from '../../pipeline/document';
import { coerceParameterText } from '../../pipeline/parameters';
import { useEditor } from './editor-store';

/** The pipeline's parameters: values asked for when a run starts, used in configs as {"$param"}. */
export function ParametersPanel({ parameters }: { parameters: PipelineParameter[] }) {
  const edit = useEditor((state) => state.edit);
  const change = (index: number, next: Partial<PipelineParameter>) =>
    edit((doc) => ({
      ...doc,
      parameters: doc.parameters.map((parameter, position) =>
        position === index ? { ...parameter, ...next } : parameter,
      ),
    }));
  return (
    <section className="panel-section" aria-labelledby="parameters-title">
      <h2 id="parameters-title">Parameters</h2>
      {parameters.length === 0 && (
        <p className="muted">
          Parameters let one pipeline run on different data: add one, then pick it in a step's field.
        </p>
      )}
      {parameters.map((parameter, index) => (
        <div className="parameter-row" key={parameter.name}>
          <label>
            Name
            <input
              key={parameter.name}
              defaultValue={parameter.name}
              onBlur={(event) => {
                if (event.target.value !== parameter.name) change(index, { name: event.target.value });
              }}
            />
          </label>
          <label>
            Type
            <select
              value={parameter.type}
              onChange={(event) => {
                const type = parameterTypes.find((candidate) => candidate === event.target.value);
                if (type) change(index, { type });
              }}
            >
              {parameterTypes.map((type) => (
                <option key={type}>{type}</option>
              ))}
            </select>
          </label>
          <label>
            Default
            <input
              key={String(parameter.default)}
              defaultValue={parameter.default === undefined ? '' : String(parameter.default)}
              onBlur={(event) => {
                const text = event.target.value;
                // Parsed as the CLI parses --param: "yes" is true for a boolean, digits a number.
                const value = text === '' ? undefined : coerceParameterText(parameter, text);
                if (value !== parameter.default) change(index, { default: value });
              }}
            />
          </label>
          <button
            type="button"
            className="icon-button"
            title="Remove parameter"
            aria-label={`Remove parameter ${parameter.name}`}
            onClick={() =>
              edit((doc) => ({
                ...doc,
                parameters: doc.parameters.filter((_, position) => position !== index),
              }))
            }
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() =>
          edit((doc) => ({
            ...doc,
            parameters: [
              ...doc.parameters,
              { name: `param_${doc.parameters.length + 1}`, type: 'string', description: '' },
            ],
          }))
        }
      >
        Add parameter
      </button>
    </section>
  );
}
