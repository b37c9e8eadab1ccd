/**
 * Scripted replies for `autocode up --llm sandbox`: a codegen run gets a small, always-applicable change (a new
 * notes file naming the request) and the review pass finds nothing, so a demo reaches a draft PR without a
 * model. The sandbox LLM server speaks the OpenAI wire format to codegen's real client.
 */
import type { LlmRule, LlmServerOptions } from '../llm/index.js';

const change = (prompt: string) => `I'll record the request in a notes file.

docs/autocode-demo.md
\`\`\`markdown
<<<<<<< SEARCH
=======
# Requested through autocode

${prompt.slice(0, 500).replace(/[<>=]{7}/g, '')}

This change was written by the sandbox LLM server (\`autocode up --llm sandbox\`), not by a model.
>>>>>>> REPLACE
\`\`\`
Adds docs/autocode-demo.md.`;

const rules: LlmRule[] = [
  { name: 'review', match: { templateName: 'review_change' }, reply: 'No issues found.' },
  { name: 'change', reply: (req) => change(req.prompt) },
];

export const demoLlm: LlmServerOptions = { rules, defaultReply: 'OK' };
