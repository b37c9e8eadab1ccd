/** Appearance: light, dark or follow the system; stored per device and applied as `data-theme` on <html>. */
export type Appearance = 'light' | 'dark' | 'system';
const KEY = 'autocode.appearance';

export function readAppearance(): Appearance {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyAppearance(a: Appearance): void {
  if (a === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, a);
    document.documentElement.dataset.theme = a;
  }
}
