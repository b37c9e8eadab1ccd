export * from './plan.js';
export * from './state.js';
export * from './ports.js';
export * from './rotate.js';
export * from './metrics.js';
export { sealForGitHub, actionsSecretStore, webhookStore, githubIssues, githubStateFile } from './github.js';
export { cloudflareClient, workerSecretStore } from './cloudflare.js';
export { verifyWebhookPing, randomSecret } from './verify.js';
