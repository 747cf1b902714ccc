// A list of one-line values (environment variables, bind mounts, labels): a
// text box per value, a button to add one and one to remove each. Each box
// is named after the list and its number ("Environment variable 2"), and a
// problem with one shows under it.

import { useId } from 'react';

export function ListField({ label, itemLabel, values, onChange, placeholder, hint, problems = [], addLabel }: {
  label: string;
  /** The name of one value: "Environment variable" gives "Environment variable 1", "2"... */
  itemLabel: string;
  values: readonly string[];
  onChange(values: string[]): void;
  placeholder?: string;
  hint?: string;
  /** Problems by index. */
  problems?: ReadonlyArray<{ index?: number; message: string }>;
  addLabel: string;
}) {
  const id = useId();
  const rows = values.length ? values : [''];
  const set = (i: number, v: string) => onChange(rows.map((x, j) => (j === i ? v : x)));
  return (
    <fieldset className="list-field">
      <legend className="field-label">{label}</legend>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {rows.map((value, i) => {
        const problem = problems.find((p) => p.index === i);
        return (
          <div key={i} className="list-row">
            <input
              value={value}
              onChange={(e) => set(i, e.target.value)}
              aria-label={`${itemLabel} ${i + 1}`}
              aria-describedby={[hint ? `${id}-hint` : '', problem ? `${id}-p${i}` : ''].filter(Boolean).join(' ') || undefined}
              aria-invalid={problem ? true : undefined}
              placeholder={placeholder}
              autoComplete="off"
              spellCheck={false}
              className="mono"
            />
            {(rows.length > 1 || value !== '') && (
              <button type="button" className="btn btn-quiet btn-small" aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                <span aria-hidden="true">×</span>
              </button>
            )}
            {problem && (
              <span className="field-problem" id={`${id}-p${i}`}>
                {problem.message}
              </span>
            )}
          </div>
        );
      })}
      <button type="button" className="btn btn-quiet btn-small list-add" onClick={() => onChange([...rows, ''])}>
        + {addLabel}
      </button>
    </fieldset>
  );
}
