export { startLocalRunner, NO_LLM_MESSAGE } from './runner.js';
export type { LocalRunner, LocalRunnerOptions, RunOutcome, RunnerLlm } from './runner.js';
export { autocodeWorkflows, installAutocodeWorkflows, installFiles } from './install.js';
export { runWorkflow } from './interpreter.js';
export type { RunEnvironment, WorkflowResult } from './interpreter.js';
export { evaluate, interpolate } from './expressions.js';
export { parseWorkflow } from './workflow.js';
export type { Workflow } from './workflow.js';
