/** Light, dark, or as the operating system says (the default). Kept in this browser. */
import { useState } from 'react';
import { chooseTheme, savedTheme, THEME_CHOICES, type ThemeChoice } from '../../theme/theme.js';

const LABEL: Record<ThemeChoice, string> = { system: 'As the system', light: 'Light', dark: 'Dark' };

export function ThemeSetting(): React.JSX.Element {
  const [choice, setChoice] = useState<ThemeChoice>(() => savedTheme());
  return (
    <section className="panel" aria-label="appearance">
      <div className="panel-title">Appearance</div>
      <div className="segmented" role="radiogroup" aria-label="theme" data-testid="theme-choice">
        {THEME_CHOICES.map((c) => (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={choice === c}
            className={choice === c ? 'on' : ''}
            data-testid={`theme-${c}`}
            onClick={() => {
              chooseTheme(c);
              setChoice(c);
            }}
          >
            {LABEL[c]}
          </button>
        ))}
      </div>
    </section>
  );
}
