import type { HTTPMethods } from 'fastify';
import { STAFF_COOKIE, USER_COOKIE } from './guard.js';
import { type Access, permissions } from './permissions.js';

/**
 * How each door authenticates, as the OpenAPI document (/docs) declares it, so that "Authorize"
 * there can try the API: HTTP Basic (Auth ID and Auth Token) for /v1, the session cookies for the
 * console and staff APIs (the browser sends them once signed in on this site).
 */
export const securitySchemes = {
  basicAuth: {
    type: 'http',
    scheme: 'basic',
    description: 'The /v1 API: your Auth ID as the user name and your Auth Token as the password.',
  },
  consoleSession: {
    type: 'apiKey',
    in: 'cookie',
    name: USER_COOKIE,
    description: 'The console API: the session of a member signed in to the console on this site.',
  },
  staffSession: {
    type: 'apiKey',
    in: 'cookie',
    name: STAFF_COOKIE,
    description: 'The staff API: the session of staff signed in at /staff on this site.',
  },
  engineKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The engine door: an engine key staff created (`switchboard engines create`), sbe_…',
  },
} as const;

type SecurityRequirement = Partial<Record<keyof typeof securitySchemes, string[]>>;

/** Every /v1 operation: HTTP Basic. */
export const apiSecurity: SecurityRequirement[] = [{ basicAuth: [] }];

/** Every engine door operation: an engine key as a Bearer token. */
export const engineSecurity: SecurityRequirement[] = [{ engineKey: [] }];

const publicAccess: readonly Access[] = ['public', 'idp_post', 'staff_public'];

/** A console or staff route's requirement, from the permission table: none for public routes. */
export function consoleSecurity(method: HTTPMethods | HTTPMethods[], url: string): SecurityRequirement[] {
  const verb = [method].flat()[0];
  // Fastify's HEAD twin of a GET route is governed by the GET's entry.
  const rule = permissions[`${verb === 'HEAD' ? 'GET' : verb} ${url}`];
  const access = typeof rule === 'string' ? rule : rule?.access;
  if (access && publicAccess.includes(access)) return [];
  return access?.startsWith('staff') ? [{ staffSession: [] }] : [{ consoleSession: [] }];
}
