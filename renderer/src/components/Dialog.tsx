// A modal dialog on the native <dialog> element: focus is trapped and
// restored, Escape closes it, and the page behind is inert, for free. It is
// drawn at the end of the page, so a dialog opened from inside another (Load
// from the Run dialog) is never a form inside a form; its events stay its own.

import { cloneElement, useEffect, useId, useRef, type FormEvent, type ReactElement, type ReactNode, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { CommandLine } from './CommandLine';

export function Dialog({ title, onClose, onSubmit, submitLabel, command, children, submitDisabled, submitReason, wide }: {
  title: string;
  onClose(): void;
  onSubmit(): void;
  submitLabel: string;
  /** The command the dialog's action equals, updated as the form is filled in. */
  command?: string;
  submitDisabled?: boolean;
  /** Why the action cannot be taken yet, shown beside its button. */
  submitReason?: string;
  /** Room for a form of several sections (Run, Create). */
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Dialogs can open over dialogs (Load from inside Run): each names its own title.
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // React passes events up its own tree, through the portal: a dialog over this one must not submit it too.
    e.stopPropagation();
    if (!submitDisabled) onSubmit();
  };
  const closed = (e: SyntheticEvent) => {
    if (e.target === e.currentTarget) onClose();
  };
  return createPortal(
    <dialog ref={ref} className={`dialog ${wide ? 'dialog-wide' : ''}`} aria-labelledby={titleId} onClose={closed} onCancel={closed}>
      <form onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        {command && (
          <div className="dialog-command">
            <span className="label">Equals</span>
            <CommandLine command={command} />
          </div>
        )}
        <div className="dialog-buttons">
          {submitDisabled && submitReason && (
            <span className="dialog-reason" id={`${titleId}-reason`}>
              {submitReason}
            </span>
          )}
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            aria-disabled={submitDisabled || undefined}
            aria-describedby={submitDisabled && submitReason ? `${titleId}-reason` : undefined}
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}

/** A labelled form control; the hint describes it without becoming part of its name, and so does a problem with it. */
export function Field({ label, hint, problem, children }: {
  label: string;
  hint?: string;
  problem?: string;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': described || undefined, ...(problem ? { 'aria-invalid': true } : {}) })}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="field-problem" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}
