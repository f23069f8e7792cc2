/**
 * Light or dark: the OS setting (prefers-color-scheme) unless the user chose one in Settings. The
 * choice is kept in this browser's localStorage and applied as data-theme on <html>; theme.css
 * holds the light palette. 'system' removes the attribute, so the media query decides.
 */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

const KEY = 'hashdeck.theme';

export function savedTheme(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemeChoice {
  const v = storage?.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}

export function chooseTheme(choice: ThemeChoice, storage: Pick<Storage, 'setItem' | 'removeItem'> | null = safeStorage()): void {
  if (choice === 'system') storage?.removeItem(KEY);
  else storage?.setItem(KEY, choice);
  applyTheme(choice);
  window.dispatchEvent(new Event('hashdeck-theme'));
}

/** localStorage is missing or refused in some sandboxes: the choice then lasts the session. */
function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
