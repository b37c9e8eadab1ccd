/** The secret-scanner port: facts extraction hands it the added lines of each file. */

/** The added lines of one file; `lineNumbers[i]` is the new-file line of `lines[i]`. */
export interface ScanTarget {
  path: string;
  lines: string[];
  lineNumbers: number[];
}

/** A hit before fingerprinting. `secret` is the matched value: hash it, never log or return it. */
export interface RawFinding {
  path: string;
  line: number;
  rule: string;
  kind: 'secret' | 'entropy';
  description: string;
  secret: string;
}

export interface SecretScanner {
  scan(targets: ScanTarget[]): Promise<RawFinding[]>;
}
