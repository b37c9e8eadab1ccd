/** Prompt templates, compiled in at build time from `prompts/*.md` front matter (see plugins/prompt-templates.ts). */
import { templates } from 'virtual:prompt-templates';
import type { PromptTemplate } from 'virtual:prompt-templates';

export type { PromptTemplate };
export { templates };
