// Which requests and streams this engine serves. The map in engine/api.ts is
// importable as a value (it holds schemas, no Node code), so the app can
// tell "not built yet" (commit, save... arrive with image exchange) from
// "refused", and disable a button with the right reason.

import { requests, streams } from '../../../engine/api';

export function serves(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(requests, name) || Object.prototype.hasOwnProperty.call(streams, name);
}
