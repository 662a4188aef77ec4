'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '../_trpc/client';

/** Tags as typed: separated by commas, blanks dropped. */
export function tagsOf(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** Editing a model's description and tags (editors): both saved, then the form closes. */
export function DetailsForm({
  name,
  description,
  tags,
  onClose,
}: {
  name: string;
  description: string;
  tags: string[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [descriptionText, setDescriptionText] = useState(description);
  const [tagsText, setTagsText] = useState(tags.join(', '));
  const [error, setError] = useState<string>();
  const setDescription = useMutation(trpc.models.setDescription.mutationOptions());
  const setTags = useMutation(trpc.models.setTags.mutationOptions());
  const pending = setDescription.isPending || setTags.isPending;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      // Tags first: they are what can be refused (length, count), so a refusal changes nothing.
      await setTags.mutateAsync({ name, tags: tagsOf(tagsText) });
      await setDescription.mutateAsync({ name, description: descriptionText });
      toast.success(`${name} saved`);
      void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <form className="details-form" onSubmit={save} aria-label={`Edit ${name}`}>
      <label>
        Description
        <textarea
          rows={2}
          maxLength={2000}
          value={descriptionText}
          onChange={(event) => setDescriptionText(event.target.value)}
        />
      </label>
      <label>
        Tags <span className="muted">(separated by commas)</span>
        <input type="text" value={tagsText} onChange={(event) => setTagsText(event.target.value)} />
      </label>
      {error && <p className="form-error">{error}</p>}
      <div className="bar-group">
        <button type="submit" disabled={pending}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
