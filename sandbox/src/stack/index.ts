export { CLIENT_ID, REPO_ROOT, resetStack, startStack } from './stack.js';
export type { Stack, StackOptions, StackUrls } from './stack.js';
export { describeStack } from './describe.js';
export { DEFAULT_PORTS, PORT_FLAGS } from './ports.js';
export type { StackPorts } from './ports.js';
export type { LlmChoice, StackConfig } from './config.js';
export { vapidKeys } from './secrets.js';
