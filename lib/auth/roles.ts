import { type Role } from '@/lib/vocabulary';

export type { Role };

/** Every server-side authorization decision goes through this table. */
export const PERMISSIONS = {
  'journeys:view': ['marketer', 'compliance', 'admin'],
  'journeys:edit': ['marketer', 'admin'],
  'customers:view': ['marketer', 'compliance', 'admin'],
  'customers:edit': ['compliance', 'admin'],
  'import:run': ['marketer', 'admin'],
  /** Message templates, the workspace layout and the saved test addresses (Settings). */
  'messages:design': ['marketer', 'admin'],
  'mission-control:view': ['compliance', 'admin'],
  'privacy:manage': ['compliance', 'admin'],
  'users:manage': ['admin'],
  'apikeys:manage': ['admin'],
  'settings:manage': ['admin'],
  /** Read-only view of purposes, themes and notice history (compliance reviews; admins edit). */
  'purposes:view': ['compliance', 'admin'],
  'outbox:view': ['admin'],
  /** The audit trail of staff actions and API writes (Audit log page, CSV). */
  'audit:view': ['compliance', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined | null, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export type StaffUser = { id: number; email: string; name: string; role: Role };

export const ROLE_LABELS: Record<Role, string> = {
  marketer: 'Marketer',
  compliance: 'Compliance officer',
  admin: 'Administrator',
};

/** Where a role lands after signing in without a deep link: compliance officers watch Mission Control. */
export function startPageFor(role: Role): string {
  return role === 'compliance' ? '/mission-control' : '/journeys';
}
