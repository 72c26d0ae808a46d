import type { ImportProgress } from '../services/import';

/** A one-line progress display on a terminal; nothing at all when stderr is not a terminal. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ((p: ImportProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done !== p.total && now - last < 100) return;
    last = now;
    const line = `importing ${p.done}/${p.total} ${p.file}`.slice(0, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[K${line}`);
    if (p.done === p.total) stream.write('\r\x1b[K');
  };
}
