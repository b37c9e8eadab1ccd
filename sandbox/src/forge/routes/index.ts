/** Every REST route, registered in match order (specific `/commits/{ref}/…` before the greedy `/commits/{ref}`). */
import { Router } from '../router.js';
import { registerActionsRoutes } from './actions.js';
import { registerAppRoutes } from './apps.js';
import { registerCheckRoutes } from './checks.js';
import { registerCommitRoutes } from './commits.js';
import { registerContentsRoutes } from './contents.js';
import { registerGitDataRoutes } from './git-data.js';
import { registerHookRoutes } from './hooks.js';
import { registerIssueRoutes } from './issues.js';
import { registerPullRoutes } from './pulls.js';
import { registerRepoRoutes } from './repos.js';
import { registerReviewRoutes } from './reviews.js';
import { registerSecretRoutes } from './secrets.js';

export function buildRouter(): Router {
  const r = new Router();
  for (const register of [
    registerAppRoutes,
    registerRepoRoutes,
    registerCheckRoutes,
    registerCommitRoutes,
    registerContentsRoutes,
    registerGitDataRoutes,
    registerPullRoutes,
    registerReviewRoutes,
    registerIssueRoutes,
    registerActionsRoutes,
    registerSecretRoutes,
    registerHookRoutes,
  ]) {
    register(r);
  }
  return r;
}
