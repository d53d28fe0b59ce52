import { DEMO } from '../core/app/demo-tenant.js';

/** A demo person's id by the start of their name; a name the demo lacks is a test bug. */
export function demoUserId(name: string): string {
  const user = DEMO.users.find((u) => u.displayName.startsWith(name));
  if (!user) throw new Error(`The demo tenant has no one called ${name}`);
  return user.id;
}

/** The demo people the tests talk about. */
export const PEOPLE = {
  ALEX: demoUserId('Alex'),
  NESTOR: demoUserId('Nestor'),
  MEGAN: demoUserId('Megan'),
  ADELE: demoUserId('Adele'),
  ISAIAH: demoUserId('Isaiah'),
  PATTI: demoUserId('Patti'),
  LYNNE: demoUserId('Lynne'),
} as const;
