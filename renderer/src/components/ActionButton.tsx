// A button that says what it equals on the command line and, when it cannot
// be used, why. It stays focusable when unavailable (aria-disabled, not
// `disabled`) so a keyboard user can reach it and hear the reason; the
// accessible name is exactly the label, the reason and command are its description.

import { useEffect, type ReactNode } from 'react';
import { useActions } from '../data/actions';
import { useTooltip } from './Tooltip';

export interface ActionButtonProps {
  label: string;
  onPress(): void;
  /** The `strata` command this button equals; previewed on hover and focus. */
  command?: string;
  /** Set when the action is unavailable: the reason, shown on hover and focus. */
  disabledReason?: string;
  variant?: 'primary' | 'default' | 'danger' | 'quiet';
  icon?: ReactNode;
  busy?: boolean;
  size?: 'normal' | 'small';
  testId?: string;
}

export function ActionButton({ label, onPress, command, disabledReason, variant = 'default', icon, busy, size = 'normal', testId }: ActionButtonProps) {
  const { setPreview } = useActions();
  const disabled = disabledReason !== undefined;
  const tip = useTooltip(disabled ? disabledReason : command, disabled ? 'tip-reason' : 'tip-command');
  const show = () => setPreview(command ?? null);
  const hide = () => setPreview(null);
  // A button that goes away under the pointer (a dialog opened, the view changed) takes its preview with it.
  useEffect(() => () => setPreview((p) => (p === command ? null : p)), [command, setPreview]);
  return (
    <span className="action">
      <button
        type="button"
        ref={tip.anchorRef}
        className={`btn btn-${variant} btn-${size}`}
        aria-disabled={disabled || undefined}
        aria-busy={busy || undefined}
        aria-describedby={tip.anchor['aria-describedby']}
        data-testid={testId}
        onClick={() => {
          if (disabled || busy) return;
          // Pressed, the command moves from preview to the strip's log, where its outcome shows.
          hide();
          onPress();
        }}
        onPointerEnter={() => {
          show();
          tip.anchor.onPointerEnter();
        }}
        onPointerLeave={() => {
          hide();
          tip.anchor.onPointerLeave();
        }}
        onPointerDown={tip.anchor.onPointerDown}
        onFocus={(e) => {
          show();
          tip.anchor.onFocus(e);
        }}
        onBlur={() => {
          hide();
          tip.anchor.onBlur();
        }}
      >
        {icon && (
          <span className="btn-icon" aria-hidden="true">
            {icon}
          </span>
        )}
        {label}
        {busy && <span className="spinner" aria-hidden="true" />}
      </button>
      {tip.tip}
    </span>
  );
}
