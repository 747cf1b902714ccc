// engine/rpc/schema.ts, reached through engine/api.ts, turns base64 into bytes
// with Node's Buffer when it validates an argument inside the engine. The
// renderer imports api.ts for its maps and types and never validates, so it
// only needs the name to type-check; no Node types come into the renderer.
declare const Buffer: { from(data: string, encoding: 'base64'): Uint8Array };
