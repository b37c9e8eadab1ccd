/// <reference types="vite/client" />

declare module 'virtual:prompt-templates' {
  export interface PromptTemplateInput {
    name: string;
    description?: string;
    required?: boolean;
  }
  export interface PromptTemplate {
    /** File name without `.md`, e.g. `add-endpoint`. */
    id: string;
    name: string;
    description?: string;
    /** Which command the template is for (default `codegen`). */
    command: 'codegen' | 'sync' | 'policy-check' | 'rotate-secrets';
    inputs: PromptTemplateInput[];
  }
  export const templates: PromptTemplate[];
}
