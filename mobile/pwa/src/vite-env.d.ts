/// <reference types="vite/client" />

declare module 'virtual:prompt-templates' {
  export interface PromptTemplate {
    /** Codegen's template name, selected by starting the command text with `/<id>`. */
    id: string;
    name: string;
    description?: string;
    command: 'codegen';
  }
  export const templates: PromptTemplate[];
}
