import { decodeJwt } from 'jose';
import { z } from 'zod';
import { createApi, type Api } from '../api/api-client';
import { tokenSchema } from '../api/schemas';
import type { TeamsHost } from './teams-host';

/** Someone signed in: whose token every API call carries. */
export interface Session {
  readonly tenantId: string;
  readonly userId: string;
  readonly api: Api;
  /** Dev mode only: back to the "sign in as" picker. */
  readonly signOut?: () => void;
}

const DEV_KEY = 'service-routing.dev-session';

/** Inside Teams: the SSO token names the tenant (`tid`) and the person (`oid`). */
export async function teamsSession(host: TeamsHost): Promise<Session> {
  const first = await host.getAuthToken();
  const claims = decodeJwt(first);
  if (typeof claims.tid !== 'string' || typeof claims.oid !== 'string')
    throw new Error('The Teams sign-in token names no tenant or user.');
  return { tenantId: claims.tid, userId: claims.oid, api: createApi(() => host.getAuthToken()) };
}

/** What a dev sign-in keeps in this browser tab's session storage. */
const devSessionSchema = tokenSchema.extend({ tenantId: z.string(), userId: z.string() });
type DevSession = z.infer<typeof devSessionSchema>;

function devSession(saved: DevSession, onSignOut: () => void): Session {
  return {
    tenantId: saved.tenantId,
    userId: saved.userId,
    api: createApi(() => Promise.resolve(saved.token)),
    signOut: () => {
      sessionStorage.removeItem(DEV_KEY);
      onSignOut();
    },
  };
}

/** Whom a developer signs in as: a demo person, or the system operator. */
export type DevWho =
  { readonly tenantId: string; readonly userId: string } | { readonly system: true };

/** Dev mode: a locally signed token for a demo person or the operator, kept for this browser tab. */
export async function signInAs(who: DevWho, onSignOut: () => void): Promise<Session> {
  const response = await fetch('/api/v1/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!response.ok) throw new Error(`Signing in was refused (${response.status}).`);
  const { token } = tokenSchema.parse(await response.json());
  // The operator belongs to no tenant of the app.
  const saved =
    'system' in who
      ? { tenantId: '', userId: 'system-operator', token }
      : { tenantId: who.tenantId, userId: who.userId, token };
  sessionStorage.setItem(DEV_KEY, JSON.stringify(saved));
  return devSession(saved, onSignOut);
}

/** The dev session of this browser tab, if someone signed in before a reload. */
export function resumeDevSession(onSignOut: () => void): Session | null {
  const raw = sessionStorage.getItem(DEV_KEY);
  if (!raw) return null;
  // Whatever else is stored there (an older shape, a hand edit) is forgotten, not trusted.
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    stored = undefined;
  }
  const saved = devSessionSchema.safeParse(stored);
  if (saved.success) return devSession(saved.data, onSignOut);
  sessionStorage.removeItem(DEV_KEY);
  return null;
}
