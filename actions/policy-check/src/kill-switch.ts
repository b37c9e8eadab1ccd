/** Kill-switch state as a policy fact. Fails closed: a state the edge cannot report counts as active. */
import type { EdgeClient, Logger } from '@autocode/toolkit';

export async function killSwitchState(
  edge: EdgeClient | undefined,
  failOpen: boolean,
  log: Logger,
): Promise<{ active: boolean; reason?: string }> {
  if (!edge) return { active: false };
  try {
    const state = await edge.killSwitch();
    return { active: state.active, ...(state.reason ? { reason: state.reason } : {}) };
  } catch (err) {
    const why = `kill-switch state unknown: ${(err as Error).message}`;
    if (failOpen) {
      log.warning(`${why}; proceeding because kill-switch-fail-open is set`);
      return { active: false };
    }
    return { active: true, reason: why };
  }
}
