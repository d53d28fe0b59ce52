import type { ServiceLicense, UserLicense, License } from './license.js';

/** A field and what is wrong with it, in words for the person who typed it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** One feature that keeps a license from being lowered, and where to switch it off. */
export interface DowngradeBlocker {
  readonly feature: string;
  readonly message: string;
  /** The service, and the setting that switches the feature off (a client links to it). */
  readonly serviceId?: string;
  readonly field?: string;
}

/**
 * An expected "no" from a rule: a value, not an exception. The API maps each code to
 * its HTTP status in one place; the bot words it for the chat.
 */
export type Refusal =
  | { readonly code: 'forbidden'; readonly message: string }
  | { readonly code: 'not_found'; readonly message: string }
  | {
      readonly code: 'validation_failed';
      readonly message: string;
      readonly details: readonly FieldProblem[];
    }
  | { readonly code: 'tenant_inactive'; readonly message: string }
  | { readonly code: 'policy_denied'; readonly message: string }
  | {
      readonly code: 'license_required';
      readonly message: string;
      readonly details: {
        readonly license: ServiceLicense | UserLicense;
        readonly features?: readonly string[];
      };
    }
  | {
      readonly code: 'license_exhausted';
      readonly message: string;
      readonly details: {
        readonly license: License;
        readonly total: number;
        readonly used: number;
      };
    }
  | {
      readonly code: 'downgrade_blocked';
      readonly message: string;
      readonly details: readonly DowngradeBlocker[];
    }
  | {
      readonly code: 'confirmation_required';
      readonly message: string;
      readonly details: readonly string[];
    }
  | { readonly code: 'limit_reached'; readonly message: string };

export type Decision<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export const allow = <T>(value: T): Decision<T> => ({ ok: true, value });
export const refuse = <T = never>(refusal: Refusal): Decision<T> => ({ ok: false, refusal });

export const forbidden = (message: string): Refusal => ({ code: 'forbidden', message });
/** A caller of one tenant naming another tenant's data: said the same way everywhere. */
export const anotherTenant = (): Refusal => forbidden('That is another tenant’s data.');
export const notFound = (what: string): Refusal => ({
  code: 'not_found',
  message: `${what} was not found.`,
});

export function invalid(problems: readonly FieldProblem[]): Refusal {
  const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return {
    code: 'validation_failed',
    message: `Some fields are not valid: ${list}`,
    details: problems,
  };
}
