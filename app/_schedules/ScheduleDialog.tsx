'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { toast } from 'sonner';
import type { PipelineParameter } from '../../pipeline/document';
import { ParameterInput, uploadParameterFile } from '../_editor/RunDialog';
import type { AppRouter } from '../_server/root';
import { useTRPC } from '../_trpc/client';
import { needsSeconds, runTime } from './format';
import { TimingFields } from './TimingFields';
import {
  catchupChoices,
  initialTimingState,
  overlaps,
  overlapWords,
  type TimingFormState,
  timingOfState,
  timingStateOf,
} from './timing-form';

export type ScheduleItem = inferRouterOutputs<AppRouter>['schedules']['list'][number];
type Overlap = ScheduleItem['overlap'];

/**
 * New schedule (or Edit, given `schedule`): timing, parameter values, version, overlap and catch-up
 * window. After saving it shows the next five run times Temporal computed, so the author sees at
 * once whether "06:00" meant what they thought.
 */
export function ScheduleDialog({
  pipelineId,
  parameters,
  schedule,
  onClose,
}: {
  pipelineId: string;
  parameters: PipelineParameter[];
  schedule?: ScheduleItem;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.pipelines.versions.queryOptions({ pipelineId }));
  // A schedule named after its timing shows no name: it keeps following its timing (the server's rule).
  const [name, setName] = useState(schedule && schedule.name !== schedule.timingText ? schedule.name : '');
  const [timing, setTiming] = useState<TimingFormState>(() =>
    schedule ? timingStateOf(schedule.timing) : initialTimingState(),
  );
  const [values, setValues] = useState<Record<string, unknown>>(
    () =>
      schedule?.parameters ??
      Object.fromEntries(parameters.filter((p) => p.default !== undefined).map((p) => [p.name, p.default])),
  );
  const [versionId, setVersionId] = useState(schedule?.pipelineVersionId ?? '');
  const [overlap, setOverlap] = useState<Overlap>(schedule?.overlap ?? 'skip');
  const [catchup, setCatchup] = useState(schedule?.catchupWindowSeconds ?? 300);
  const [uploading, setUploading] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [saved, setSaved] = useState<ScheduleItem | undefined>();

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey() });
  const onSaved = (result: ScheduleItem) => {
    setSaved(result);
    setProblem(undefined);
    toast.success(schedule ? 'Schedule saved' : 'Schedule created');
    void refresh();
  };
  const create = useMutation(
    trpc.schedules.create.mutationOptions({
      onSuccess: onSaved,
      onError: (error) => setProblem(error.message),
    }),
  );
  const edit = useMutation(
    trpc.schedules.edit.mutationOptions({
      onSuccess: onSaved,
      onError: (error) => setProblem(error.message),
    }),
  );
  const pending = create.isPending || edit.isPending || uploading !== undefined;

  const submit = () => {
    const settings = {
      timing: timingOfState(timing),
      parameters: values,
      pipelineVersionId: versionId || null,
      overlap,
      catchupWindowSeconds: catchup,
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    if (schedule) edit.mutate({ scheduleId: schedule.id, changes: settings });
    else create.mutate({ pipelineId, ...settings });
  };

  const upload = async (parameter: string, file: File) => {
    setUploading(parameter);
    setProblem(undefined);
    try {
      const path = await uploadParameterFile(file);
      setValues((current) => ({ ...current, [parameter]: path }));
    } catch (caught) {
      setProblem(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setUploading(undefined);
    }
  };

  if (saved) return <SavedSchedule schedule={saved} onClose={onClose} />;

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog schedule-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="schedule-dialog-title"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id="schedule-dialog-title">{schedule ? `Edit "${schedule.name}"` : 'New schedule'}</h2>
        <TimingFields state={timing} onChange={setTiming} />
        <label className="field">
          Name (optional)
          <input
            value={name}
            maxLength={100}
            placeholder="Defaults to the timing in words"
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <div className="schedule-grid">
          <label className="field">
            Version
            <select value={versionId} onChange={(event) => setVersionId(event.target.value)}>
              <option value="">Latest saved, when it fires</option>
              {versions.data?.map((version) => (
                <option key={version.id} value={version.id}>
                  Pinned: version {version.version}
                  {version.message ? ` — ${version.message}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            When a run is still going
            <select
              value={overlap}
              onChange={(event) => {
                const chosen = overlaps.find((each) => each === event.target.value);
                if (chosen) setOverlap(chosen);
              }}
            >
              {Object.entries(overlapWords).map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Catch-up window
            <select value={catchup} onChange={(event) => setCatchup(Number(event.target.value))}>
              {catchupChoices.map((choice) => (
                <option key={choice.seconds} value={choice.seconds}>
                  {choice.label}
                </option>
              ))}
              {/* A window set elsewhere (the CLI) stays as it is unless another is picked. */}
              {!catchupChoices.some((choice) => choice.seconds === catchup) && (
                <option value={catchup}>{catchup} seconds</option>
              )}
            </select>
            <small className="muted">How late a start missed while the server was down may still run.</small>
          </label>
        </div>
        {parameters.length > 0 && (
          <fieldset className="schedule-parameters">
            <legend>Parameter values</legend>
            {parameters.map((parameter) => (
              <div key={parameter.name} className="field">
                <label htmlFor={`schedule-param-${parameter.name}`}>
                  {parameter.name}
                  {parameter.description ? <small className="muted"> — {parameter.description}</small> : null}
                </label>
                <ParameterInput
                  id={`schedule-param-${parameter.name}`}
                  parameter={parameter}
                  value={values[parameter.name]}
                  uploading={uploading === parameter.name}
                  onValue={(value) => setValues((current) => ({ ...current, [parameter.name]: value }))}
                  onFile={(file) => void upload(parameter.name, file)}
                />
              </div>
            ))}
            <small className="muted">
              Each run also gets <code>$scheduledTime</code>, the time it was due, which configs can
              reference.
            </small>
          </fieldset>
        )}
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {schedule ? 'Save schedule' : 'Create schedule'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The saved schedule in words with its next five run times. */
function SavedSchedule({ schedule, onClose }: { schedule: ScheduleItem; onClose: () => void }) {
  const seconds = needsSeconds(schedule.nextRuns);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog schedule-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="schedule-saved"
      >
        <h2 id="schedule-saved">{schedule.name}</h2>
        {schedule.name !== schedule.timingText && <p className="schedule-words">{schedule.timingText}</p>}
        <h3 className="schedule-subhead">Next five runs, in your time zone</h3>
        {schedule.nextRuns.length === 0 ? (
          <p className="muted">None while paused.</p>
        ) : (
          <ol className="next-runs" aria-label="Next runs">
            {schedule.nextRuns.map((time) => (
              <li key={time.toISOString()}>
                <time dateTime={time.toISOString()}>{runTime(time, seconds)}</time>
              </li>
            ))}
          </ol>
        )}
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
