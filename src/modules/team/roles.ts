import type { Role } from '../../db/schema.js';

export const roleNames: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  developer: 'Developer',
  support: 'Support',
  financial_analyst: 'Financial Analyst',
};

/** Roles a member can be given: every role but Owner, which belongs to the account's creator and never moves. */
export const assignableRoles = ['admin', 'developer', 'support', 'financial_analyst'] as const;
export type AssignableRole = (typeof assignableRoles)[number];

const rank: Record<Role, number> = { owner: 3, admin: 2, developer: 1, support: 1, financial_analyst: 1 };

/** An admin cannot grant a role above their own; only owners and admins grant roles at all. */
export const mayGrant = (granter: Role, role: Role) =>
  role !== 'owner' && rank[granter] >= 2 && rank[granter] >= rank[role];
