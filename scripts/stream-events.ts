/**
 * Reading the streamed answer (NDJSON events): shared by `npm run ask -- --stream` (local) and
 * `npm run invoke -- --stream` (deployed). No imports, so the local script does not load the
 * deploy-side modules.
 */

/** A feed of NDJSON text in chunks of any size: each complete, non-blank line becomes one event. */
export function ndjsonEvents(onEvent: (event: Record<string, unknown>) => void): (text: string) => void {
  let pending = '';
  return (text) => {
    pending += text;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end).trim();
      pending = pending.slice(end + 1);
      if (line !== '') onEvent(JSON.parse(line) as Record<string, unknown>);
    }
  };
}

/** Prints deltas as plain text as they arrive and the other events as JSON lines; remembers an error event. */
export function eventPrinter(write: (text: string) => void = (text) => void process.stdout.write(text)): { print(event: Record<string, unknown>): void; readonly failed: boolean } {
  let failed = false;
  return {
    print: (event) => {
      if (event.type === 'delta') return write(String(event.text ?? ''));
      if (event.type === 'end') write('\n');
      if (event.type === 'error') failed = true;
      write(`${JSON.stringify(event)}\n`);
    },
    get failed() {
      return failed;
    },
  };
}
