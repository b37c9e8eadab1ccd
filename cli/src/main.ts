/** CLI entry: parse argv, run the command, map any error to a message and exit code in one place. */
import { buildProgram } from './program.js';
import { exitCodeFor, toAutocodeError } from '@autocode/toolkit';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = toAutocodeError(err);
  console.error(`error [${e.code}]: ${e.describe()}`);
  process.exitCode = exitCodeFor(e);
}
