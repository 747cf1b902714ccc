// Renders a list (ps, images, events) with a docker --format: a table goes
// through the tabwriter under its header, anything else prints a line per item.

import { tabwrite } from '../tabwriter';
import { parseTemplate } from '../template';

export function renderList(items: readonly object[], format: string, titles: Record<string, string>): string {
  const template = parseTemplate(format);
  if (!template.table) return items.map((item) => template.render(item) + '\n').join('');
  const lines = [template.header(titles), ...items.map((item) => template.render(item))];
  return tabwrite(lines.join('\n') + '\n', { minWidth: 10, padding: 3 });
}

/** docker's --format shorthand: `json` is `{{json .}}`. */
export function listFormat(format: string | undefined, quiet: boolean, tableFormat: string, quietFormat: string): string {
  if (quiet) return quietFormat;
  if (format === undefined || format === '' || format === 'table') return tableFormat;
  return format;
}

/** stringid.TruncateID: the 12 first hex digits, without "sha256:". */
export function truncateId(id: string): string {
  const hex = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id;
  return hex.slice(0, 12);
}

/** docker's formatter.Ellipsis: keeps `width` characters, the last one "…". */
export function ellipsis(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return chars.slice(0, width - 1).join('') + '…';
}
