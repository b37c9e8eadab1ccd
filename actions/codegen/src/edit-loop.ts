/**
 * One model turn that must end in applied edits: ask, parse, apply as a transaction; when parsing or
 * applying fails, the errors go back to the model (at most `maxReflections` rounds, default 2) and nothing
 * from the failed reply touches the tree. Refused paths (confinement, symlinks) are reported, never written.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { Logger } from '@autocode/toolkit';
import { applyEdits } from './edits/apply.js';
import { parseEdits } from './edits/parse.js';
import type { WorkingTree } from './edits/workspace.js';
import type { CallResult, LlmCall } from './llm/types.js';
import { reflectionMessage } from './prompts/edit-rules.js';

export interface EditLoopDeps {
  complete(call: LlmCall): Promise<CallResult>;
  tree: WorkingTree;
  log: Logger;
}

export interface EditLoopResult {
  applied: boolean;
  /** Model replies used (1 + reflection rounds). */
  rounds: number;
  /** Errors of every failed round, in order (what the model was told). */
  errors: string[];
  refused: string[];
  calls: CallResult[];
  /** The files this turn changed. */
  paths: string[];
}

export async function editWithReflection(
  call: LlmCall,
  deps: EditLoopDeps,
  maxReflections = 2,
): Promise<EditLoopResult> {
  const out: EditLoopResult = { applied: false, rounds: 0, errors: [], refused: [], calls: [], paths: [] };
  let current = call;
  for (let round = 0; round <= maxReflections; round++) {
    const reply = await deps.complete(current);
    out.calls.push(reply);
    out.rounds++;
    const parsed = parseEdits(reply.text);
    const errors = [...parsed.errors];
    if (parsed.edits.length === 0 && errors.length === 0) {
      errors.push('the reply contained no edits in the required format');
    }
    if (errors.length === 0) {
      const result = applyEdits(
        (p) => deps.tree.read(p),
        parsed.edits,
        (p) => deps.tree.assertWritable(p),
      );
      errors.push(...result.errors);
      out.refused.push(...result.unsafe);
      if (errors.length === 0) {
        try {
          deps.tree.write(result.changes);
          out.applied = true;
          out.paths = [...result.changes.keys()];
          return out;
        } catch (err) {
          if (!(err instanceof AutocodeError) || err.code !== ErrorCodes.UNSAFE_PATH) throw err;
          out.refused.push(String(err.details?.path ?? ''));
          errors.push(err.message);
        }
      }
    }
    out.errors.push(...errors.map((e) => `round ${round + 1}: ${e}`));
    deps.log.warning(`edits from ${call.template} round ${round + 1} were not applied: ${errors.join('; ')}`);
    current = {
      ...current,
      messages: [
        ...current.messages,
        { role: 'assistant', content: reply.text },
        { role: 'user', content: reflectionMessage(errors) },
      ],
    };
  }
  return out;
}
