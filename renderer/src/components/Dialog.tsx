// A modal dialog on the native <dialog> element: focus is trapped and
// restored, Escape closes it, and the page behind is inert, for free.

import { cloneElement, useEffect, useId, useRef, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { CommandLine } from './CommandLine';

export function Dialog({ title, onClose, onSubmit, submitLabel, command, children, submitDisabled }: {
  title: string;
  onClose(): void;
  onSubmit(): void;
  submitLabel: string;
  /** The command the dialog's action equals, updated as the form is filled in. */
  command?: string;
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!submitDisabled) onSubmit();
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="dialog-title">{title}</h2>
        <div className="dialog-body">{children}</div>
        {command && (
          <div className="dialog-command">
            <span className="label">Equals</span>
            <CommandLine command={command} />
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" aria-disabled={submitDisabled || undefined}>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A labelled form control; the hint describes it without becoming part of its name. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactElement<{ id?: string; 'aria-describedby'?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': hint ? `${id}-hint` : undefined })}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
