import type { Command } from 'commander';
import { registerDoctor } from './doctor.js';

/** Every capability adds its registration function here. */
export const commands: ((program: Command) => void)[] = [registerDoctor];
