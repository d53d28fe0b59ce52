import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from './api-problem';
import { useAction } from './use-action';
import type { Loaded } from './use-load';

/** A settings page's editable copy, saved whole: what the page and its SaveBar share. */
export interface SettingsForm<D> {
  readonly draft: D | undefined;
  readonly busy: boolean;
  readonly error: unknown;
  readonly saved: boolean;
  readonly edit: (next: D) => void;
  /** Back to what is stored, and the last refusal forgotten. */
  readonly discard: () => void;
  readonly submit: () => void;
  /** The API's message for one refused field (`modalities.maxIm`), shown beside it. */
  readonly fieldMessage: (field: string) => string | undefined;
}

/**
 * Keeps a draft of loaded settings: edits mark it unsaved, Save sends it once (never twice
 * at a time) and loads again, a refusal keeps the draft so the person can correct it.
 */
export function useSettingsForm<V, D>(
  loaded: Loaded<V>,
  draftOf: (stored: V) => D,
  save: (draft: D) => Promise<void>,
): SettingsForm<D> {
  const [draft, setDraft] = useState<D>();
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const { data, reload } = loaded;
  useEffect(() => {
    if (data !== undefined) setDraft(draftOf(data));
  }, [data, draftOf]);
  const { run, clearError } = action;
  const submit = useCallback(() => {
    void run(async () => {
      if (draft === undefined) return;
      setSaved(false);
      await save(draft);
      setSaved(true);
      reload();
    });
  }, [run, draft, save, reload]);
  return {
    draft,
    busy: action.busy,
    error: action.error,
    saved,
    edit: (next) => {
      setSaved(false);
      setDraft(next);
    },
    discard: () => {
      if (data !== undefined) setDraft(draftOf(data));
      clearError();
    },
    submit,
    fieldMessage: (field) =>
      action.error instanceof ApiProblem ? action.error.fieldMessage(field) : undefined,
  };
}
