// A `strata` command as a person would type it, with a button to copy it.

import { useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an unfocused page, an old shell): fall back to a selection.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function CopyButton({ text, label = 'Copy command', caption = 'Copy' }: { text: string; label?: string; caption?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-quiet btn-small copy"
      aria-label={label}
      onClick={async () => {
        if (await copyText(text)) {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }
      }}
    >
      {copied ? (
        <span aria-hidden="true">✓</span>
      ) : (
        <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true" className="copy-icon">
          <rect x="5.5" y="5.5" width="8" height="9" rx="1.5" />
          <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h1" />
        </svg>
      )}{' '}
      {copied ? 'Copied' : caption}
    </button>
  );
}

export function CommandLine({ command, prompt = true, className = '' }: { command: string; prompt?: boolean; className?: string }) {
  return (
    <div className={`command ${className}`}>
      <code>
        {prompt && (
          <span className="prompt" aria-hidden="true">
            ${' '}
          </span>
        )}
        {command}
      </code>
      <CopyButton text={command} />
    </div>
  );
}
