/** @autocode/action-sync: the sync use case for the action entry and the `autocode sync` CLI. */
export * from './config.js';
export { syncConfigSchema } from './schema.js';
export type { FleetResult } from './fleet.js';
export { runFleet } from './fleet.js';
export type { TargetResult, TargetStatus, PlanSummary } from './result.js';
export type { SyncRunOptions, SyncRunDeps, SourceSpec } from './run.js';
export { readSyncOptions, runSync, gitBaseUrl } from './run.js';
export { reportFleet, fleetOutputs, summaryRows } from './report.js';
export { assertFleetOk } from './outcome.js';
export { statePath } from './state.js';
