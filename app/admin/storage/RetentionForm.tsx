'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '../../_trpc/client';

/** The form's text as a period: empty keeps files forever; anything else must be a whole number. */
function parseDays(text: string): { ok: true; days: number | null } | { ok: false; problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, days: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, problem: 'Give a whole number of days, or leave it empty' };
  const days = Number(trimmed);
  if (days < 1 || days > 36500) return { ok: false, problem: 'Between 1 and 36500 days, or leave it empty' };
  return { ok: true, days };
}

/** The retention period: days after a run ends before its files are deleted, or empty for never. */
export function RetentionForm({ days }: { days: number | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [text, setText] = useState(days === null ? '' : String(days));
  const [problem, setProblem] = useState<string>();
  const save = useMutation(
    trpc.retention.setDays.mutationOptions({
      onSuccess: (saved) => {
        toast.success(
          saved.days === null ? 'Run files are kept forever' : `Run files are kept ${saved.days} days`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.retention.pathKey() });
      },
      onError: (error) => setProblem(error.message),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseDays(text);
    if (!parsed.ok) return setProblem(parsed.problem);
    save.mutate({ days: parsed.days });
  }

  return (
    <form className="connection-form retention-form" onSubmit={submit} aria-label="Retention">
      <h2>Retention</h2>
      <div className="connection-field">
        <label htmlFor={`${id}-days`}>Delete run files after (days)</label>
        <input
          id={`${id}-days`}
          inputMode="numeric"
          placeholder="Keep forever"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(undefined);
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
        {problem ? (
          <span className="form-error" id={`${id}-hint`}>
            {problem}
          </span>
        ) : (
          <span className="field-hint" id={`${id}-hint`}>
            A daily pass deletes the datasets and models of runs that ended longer ago. Run and step records
            stay; registered model versions and uploads are never deleted. Empty: keep files forever.
          </span>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
      </div>
    </form>
  );
}
