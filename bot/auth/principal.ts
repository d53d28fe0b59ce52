import type { Identity } from '../../core/domain/actor.js';

/** Who is calling, as established from a verified token (with the token's security groups). */
export type Principal = Identity;
