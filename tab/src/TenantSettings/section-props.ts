import type { Api } from '../api/api-client';

/** A field's validation props for a settings path (`general.crmId`). */
export type FieldProps = (name: string) => {
  validationState: 'error' | 'none';
  validationMessage: string | undefined;
};

/** What a section of the settings form is given: its part of the draft, and how to change it. */
export interface SectionProps<D> {
  readonly api: Api;
  readonly tenantId: string;
  readonly draft: D;
  readonly edit: (next: D) => void;
  readonly field: FieldProps;
}
