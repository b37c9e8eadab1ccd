/**
 * Cost-changing settings only change through proposals approved by at least two distinct admins other than the
 * proposer; application happens once (see adapters/billing.ts for the atomic transition).
 */
export const BILLING_SETTINGS = ['daily_llm_budget_usd', 'runner_max'] as const;
export type BillingSetting = (typeof BILLING_SETTINGS)[number];

export const REQUIRED_APPROVALS = 2;

export function canApprove(proposer: string, approver: string): boolean {
  return proposer !== approver;
}
