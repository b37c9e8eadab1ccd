/** Scores a lead from weighted signals; weights are normalised so the score stays in [0, 100]. */
export interface Signal {
  name: string;
  /** 0..1 */
  value: number;
  weight: number;
}

export function score(signals: Signal[]): number {
  const total = signals.reduce((sum, s) => sum + s.weight, 0);
  if (total <= 0) return 0;
  const weighted = signals.reduce((sum, s) => sum + Math.min(Math.max(s.value, 0), 1) * s.weight, 0);
  return Math.round((weighted / total) * 100);
}

export function grade(value: number): 'hot' | 'warm' | 'cold' {
  if (value >= 70) return 'hot';
  if (value >= 40) return 'warm';
  return 'cold';
}
