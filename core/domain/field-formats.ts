import { z } from 'zod';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const e164 = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, 'must be a phone number in E.164 format, e.g. +41445550100');

/** An Entra ID object id (GUID). */
export const guid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a GUID, e.g. 0d3e0000-0000-4000-8000-000000000001',
  );

export const email = z.email('must be an e-mail address');

export const sipAddress = z
  .string()
  .regex(/^sip:[^@\s]+@[^@\s]+\.[^@\s]+$/i, 'must be a SIP address, e.g. sip:helpdesk@contoso.com');

export const domainName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    'must be a domain name, e.g. contoso.onmicrosoft.com',
  );

export const shortText = (max = 200) =>
  z.string().trim().max(max, `must be at most ${max} characters`);
