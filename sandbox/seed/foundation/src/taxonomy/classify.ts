/** Maps free-text industry descriptions to taxonomy codes by keyword. */
const RULES: [RegExp, string][] = [
  [/\b(saas|software|cloud)\b/i, 'TECH.SOFTWARE'],
  [/\b(clinic|hospital|health)\b/i, 'HEALTH.CARE'],
  [/\b(bank|lending|insurance)\b/i, 'FIN.SERVICES'],
];

export function classify(description: string): string {
  for (const [pattern, code] of RULES) {
    if (pattern.test(description)) return code;
  }
  return 'OTHER';
}
