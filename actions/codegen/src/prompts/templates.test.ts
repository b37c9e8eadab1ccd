import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { loadTemplates, parseTemplate, renderTemplate, selectTemplate } from './templates.js';

const PROMPTS = fileURLToPath(new URL('../../../../prompts', import.meta.url));
const templates = loadTemplates(PROMPTS);

describe('prompt templates', () => {
  it('loads the seed templates plus the internal fix-up and review ones', () => {
    expect([...templates.keys()].sort()).toEqual([
      'add_tests',
      'fix_failing_checks',
      'generate_api_endpoint',
      'refactor_code',
      'review_change',
    ]);
  });

  it.each([
    ['Generate API endpoint for user management', 'generate_api_endpoint'],
    ['Add tests for the user API endpoint', 'add_tests'],
    ['Refactor the billing module to use async/await', 'refactor_code'],
    ['Make the footer blue', 'refactor_code'],
    ['/add_tests parser edge cases', 'add_tests'],
  ])('selects a template for %j', (command, name) => {
    expect(selectTemplate(templates, command).template.name).toBe(name);
  });

  it('honours an explicit name and refuses unknown or internal ones', () => {
    expect(selectTemplate(templates, 'x', 'add_tests').reason).toBe('named explicitly');
    expect(() => selectTemplate(templates, 'x', 'nope')).toThrow(/unknown template/);
    expect(() => selectTemplate(templates, '/fix_failing_checks x')).toThrow(/unknown template/);
  });

  it('renders literally: values are never expanded or evaluated', () => {
    const t = templates.get('refactor_code')!;
    const out = renderTemplate(t, {
      command: '{{repo_map}} ${process.exit(1)} $& $1',
      repo_map: 'MAP',
      files: '',
      edit_rules: 'RULES',
      constraints: '',
    });
    expect(out.user).toContain('{{repo_map}} ${process.exit(1)} $& $1');
    expect(out.system).toContain('RULES');
    expect(() => renderTemplate(t, { command: 'x' })).toThrow(/missing inputs/);
  });

  it('rejects a placeholder that is not a declared input, naming the file', () => {
    const text =
      '---\nname: t\ndescription: d\ninputs: [a]\nedit_format: unified-diff\n---\n## system\n{{b}}\n## user\n{{a}}\n';
    expect(() => parseTemplate(text, 't.md')).toThrow(/\{\{b\}\} in ## system is not a declared input/);
    expect(() => parseTemplate('---\nname: T!\n---\n', 'bad.md')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
