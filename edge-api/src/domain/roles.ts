/** User roles, hierarchical: admin ⊇ approver ⊇ member. */
export const ROLES = ['member', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
