'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { toast } from 'sonner';
import type { PipelineParameter } from '../../pipeline/document';
import { ChoiceSelect } from '../_components/ChoiceSelect';
import { FormDialog } from '../_components/FormDialog';
import { ParameterInputs, useParameterForm } from '../_components/ParameterInputs';
import type { AppRouter } from '../_server/root';
import { useTRPC } from '../_trpc/client';
import { NextRuns } from './NextRuns';
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

const overlapChoices = overlaps.map((value) => ({ value, label: overlapWords[value] }));

/** The catch-up choice that leaves the window to the server's default. */
const AUTOMATIC = 'automatic';

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
  const [versionId, setVersionId] = useState(schedule?.pipelineVersionId ?? '');
  const [overlap, setOverlap] = useState<ScheduleItem['overlap']>(schedule?.overlap ?? 'skip');
  // Undefined: the server's default, the time between two firings (at most a day).
  const [catchup, setCatchup] = useState<number | undefined>(schedule?.catchupWindowSeconds);
  const [problem, setProblem] = useState<string | undefined>();
  const form = useParameterForm(parameters, schedule?.parameters, setProblem);
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
  const pending = create.isPending || edit.isPending || form.uploading !== undefined;

  const submit = () => {
    const settings = {
      timing: timingOfState(timing),
      parameters: form.values,
      pipelineVersionId: versionId || null,
      overlap,
      ...(catchup === undefined ? {} : { catchupWindowSeconds: catchup }),
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    if (schedule) edit.mutate({ scheduleId: schedule.id, changes: settings });
    else create.mutate({ pipelineId, ...settings });
  };

  if (saved) return <SavedSchedule schedule={saved} onClose={onClose} />;

  return (
    <FormDialog
      titleId="schedule-dialog-title"
      title={schedule ? `Edit "${schedule.name}"` : 'New schedule'}
      className="schedule-dialog"
      problem={problem}
      onSubmit={submit}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {schedule ? 'Save schedule' : 'Create schedule'}
          </button>
        </>
      }
    >
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
          <ChoiceSelect value={overlap} choices={overlapChoices} onChoose={setOverlap} />
        </label>
        <label className="field">
          Catch-up window
          <select
            value={catchup ?? AUTOMATIC}
            onChange={(event) =>
              setCatchup(event.target.value === AUTOMATIC ? undefined : Number(event.target.value))
            }
          >
            {schedule === undefined && <option value={AUTOMATIC}>Until the next run (at most 1 day)</option>}
            {catchupChoices.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
            {/* A window set elsewhere (the CLI) stays as it is unless another is picked. */}
            {catchup !== undefined && !catchupChoices.some((choice) => choice.seconds === catchup) && (
              <option value={catchup}>{catchup} seconds</option>
            )}
          </select>
          <small className="muted">How late a start missed while the server was down may still run.</small>
        </label>
      </div>
      {parameters.length > 0 && (
        <fieldset className="schedule-parameters">
          <legend>Parameter values</legend>
          <ParameterInputs idPrefix="schedule-param" parameters={parameters} form={form} />
          <small className="muted">
            Each run also gets <code>$scheduledTime</code>, the time it was due, which configs can reference.
          </small>
        </fieldset>
      )}
    </FormDialog>
  );
}

/** The saved schedule in words with its next five run times. */
function SavedSchedule({ schedule, onClose }: { schedule: ScheduleItem; onClose: () => void }) {
  return (
    <FormDialog
      titleId="schedule-saved"
      title={schedule.name}
      className="schedule-dialog"
      onSubmit={onClose}
      onClose={onClose}
      actions={
        <button type="submit" className="primary">
          Done
        </button>
      }
    >
      {schedule.name !== schedule.timingText && <p className="schedule-words">{schedule.timingText}</p>}
      <h3 className="schedule-subhead">Next five runs, in your time zone</h3>
      {schedule.nextRuns.length === 0 ? (
        <p className="muted">None while paused.</p>
      ) : (
        <NextRuns times={schedule.nextRuns} />
      )}
    </FormDialog>
  );
}
