/**
 * Appearance: light, dark or follow the system; stored per device and applied as `data-theme` on <html>
 * (for "system", from `prefers-color-scheme`, kept in step when the system switches), so the stylesheet needs
 * one dark palette only.
 */
export type Appearance = 'light' | 'dark' | 'system';
const KEY = 'autocode.appearance';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
let following = false;

export function readAppearance(): Appearance {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function followSystem(): void {
  if (readAppearance() === 'system') {
    document.documentElement.dataset.theme = darkQuery().matches ? 'dark' : 'light';
  }
}

export function applyAppearance(a: Appearance): void {
  if (a === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, a);
  document.documentElement.dataset.theme = a === 'system' ? (darkQuery().matches ? 'dark' : 'light') : a;
  if (!following) {
    following = true;
    darkQuery().addEventListener('change', followSystem);
  }
}
