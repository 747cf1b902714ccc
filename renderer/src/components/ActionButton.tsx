// A button that says what it equals on the command line and, when it cannot
// be used, why. It stays focusable when unavailable (aria-disabled, not
// `disabled`) so a keyboard user can reach it and hear the reason; the
// accessible name is exactly the label, the reason and command are its description.

import { useEffect, useId, type ReactNode } from 'react';
import { useActions } from '../data/actions';

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
  const tipId = useId();
  const { setPreview } = useActions();
  const disabled = disabledReason !== undefined;
  const tip = disabled ? disabledReason : command;
  const show = () => setPreview(command ?? null);
  const hide = () => setPreview(null);
  // A button that goes away under the pointer (a dialog opened, the view changed) takes its preview with it.
  useEffect(() => () => setPreview((p) => (p === command ? null : p)), [command, setPreview]);
  return (
    <span className="action">
      <button
        type="button"
        className={`btn btn-${variant} btn-${size}`}
        aria-disabled={disabled || undefined}
        aria-busy={busy || undefined}
        aria-describedby={tip ? tipId : undefined}
        data-testid={testId}
        onClick={() => {
          if (disabled || busy) return;
          // Pressed, the command moves from preview to the strip's log, where its outcome shows.
          hide();
          onPress();
        }}
        onMouseEnter={show}
        onMouseLeave={hide}
        onFocus={show}
        onBlur={hide}
      >
        {icon && (
          <span className="btn-icon" aria-hidden="true">
            {icon}
          </span>
        )}
        {label}
        {busy && <span className="spinner" aria-hidden="true" />}
      </button>
      {tip && (
        <span role="tooltip" id={tipId} className={`tip ${disabled ? 'tip-reason' : 'tip-command'}`}>
          {tip}
        </span>
      )}
    </span>
  );
}
