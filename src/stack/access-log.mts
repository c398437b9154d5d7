// Reads Squid's access log (native `squid` format) so tests can tell which requests went through
// the proxy. `mark()` returns the current end; `linesSince(mark)` returns only what came after it.
import {existsSync, readFileSync, statSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';

export interface AccessLogEntry {
  time: number; // seconds since the epoch, with milliseconds
  elapsedMs: number;
  client: string;
  result: string; // e.g. TCP_MISS
  status: number; // HTTP status Squid answered with (503 for its own connect-failure page)
  bytes: number;
  method: string;
  url: string;
  hierarchy: string; // e.g. HIER_DIRECT/127.0.0.1
  contentType: string;
  raw: string;
}

export function parseAccessLogLine(line: string): AccessLogEntry {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 10) throw new Error(`not a Squid access log line: ${line}`);
  const [time, elapsed, client, resultStatus, bytes, method, url, , hierarchy, contentType] = fields;
  const [result, status] = resultStatus.split('/');
  return {
    time: Number(time),
    elapsedMs: Number(elapsed),
    client,
    result,
    status: Number(status),
    bytes: Number(bytes),
    method,
    url,
    hierarchy,
    contentType,
    raw: line,
  };
}

export class AccessLog {
  constructor(readonly path: string) {}

  /** The current end of the log, in bytes: pass it to `linesSince` later. */
  mark(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** Entries written after `mark` (default: all). */
  linesSince(mark = 0): AccessLogEntry[] {
    if (!existsSync(this.path)) return [];
    const text = readFileSync(this.path).subarray(mark).toString('utf8');
    return text.split('\n').filter((line) => line.trim()).map(parseAccessLogLine);
  }

  /** Squid logs a request when it finishes, a moment after the client has its answer: wait for it. */
  async waitForLines(mark: number, count: number, timeoutMs = 3000): Promise<AccessLogEntry[]> {
    const deadline = Date.now() + timeoutMs;
    let entries = this.linesSince(mark);
    while (entries.length < count && Date.now() < deadline) {
      await sleep(25);
      entries = this.linesSince(mark);
    }
    return entries;
  }
}
