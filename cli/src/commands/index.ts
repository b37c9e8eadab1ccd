import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerCodegen } from './codegen.js';
import { registerDoctor } from './doctor.js';
import { registerPolicy } from './policy.js';
import { registerRulesets } from './rulesets.js';
import { registerSandbox } from './sandbox.js';
import { registerSync } from './sync.js';
import { registerUp } from './up.js';

/** Every capability adds its registration function here. */
export const commands: ((program: Command) => void)[] = [
  registerDoctor,
  registerPolicy,
  registerAudit,
  registerSync,
  registerSandbox,
  registerCodegen,
  registerUp,
  registerRulesets,
];
