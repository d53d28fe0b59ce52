import { useCallback, useEffect, useState } from 'react';
import { useUnsavedChanges } from '../App/unsaved';
import { refusedField } from './api-problem';
import { useAction } from './use-action';
import type { Loaded } from './use-load';

/** A settings page's editable copy, saved whole: what the page and its SaveBar share. */
export interface SettingsForm<D> {
  readonly draft: D | undefined;
  readonly busy: boolean;
  readonly error: unknown;
  readonly saved: boolean;
  /** Edited since loaded or saved: leaving the page asks first. */
  readonly unsaved: boolean;
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
  const [unsaved, setUnsaved] = useState(false);
  useUnsavedChanges(unsaved);
  const action = useAction();
  const { data, reload } = loaded;
  useEffect(() => {
    if (data === undefined) return;
    // What is stored now is what the form shows: nothing of it is unsaved.
    setDraft(draftOf(data));
    setUnsaved(false);
  }, [data, draftOf]);
  const { run, clearError } = action;
  const submit = useCallback(() => {
    void run(async () => {
      if (draft === undefined) return;
      setSaved(false);
      await save(draft);
      setSaved(true);
      setUnsaved(false);
      reload();
    });
  }, [run, draft, save, reload]);
  return {
    draft,
    busy: action.busy,
    error: action.error,
    saved,
    unsaved,
    edit: (next) => {
      setSaved(false);
      setUnsaved(true);
      setDraft(next);
    },
    discard: () => {
      if (data !== undefined) setDraft(draftOf(data));
      setUnsaved(false);
      clearError();
    },
    submit,
    fieldMessage: (field) => refusedField(action.error, field),
  };
}
