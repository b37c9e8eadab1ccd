/**
 * Writing responses: server-sent events and JSON bodies, with the byte-level faults (stall, reset,
 * malformed) applied at the exact point they are asked for. Headers of a stream go out with its first event,
 * so a stall or reset "after 0 events" leaves the client with no response at all (its timeout applies).
 */
import type { ServerResponse } from 'node:http';
import type { BreakingFault } from './faults.js';

export interface SseFrame {
  /** `event:` line; OpenAI Chat Completions sends none. */
  event: string | undefined;
  data: string;
}

export function sseFrame(event: string | undefined, data: unknown): SseFrame {
  return { event, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

export function encodeFrame(frame: SseFrame): string {
  return `${frame.event === undefined ? '' : `event: ${frame.event}\n`}data: ${frame.data}\n\n`;
}

/** One HTTP exchange: the response and a way to know the client has gone. */
export class Exchange {
  private closedFlag = false;
  readonly closed: Promise<void>;

  constructor(readonly res: ServerResponse) {
    this.closed = new Promise((resolve) =>
      res.once('close', () => {
        this.closedFlag = true;
        resolve();
      }),
    );
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** True when the connection closed before the response was fully written. */
  get aborted(): boolean {
    return this.closedFlag && !this.res.writableFinished;
  }

  /** Wait `ms`, or until the client goes away; forever (until then) when `ms` is undefined. */
  async wait(ms: number | undefined): Promise<void> {
    if (ms === undefined) return this.closed;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  reset(): void {
    this.res.socket?.destroy();
  }
}

const CUT_DEFAULTS = { stall: 2, reset: 0, malformed: 1 } as const;

/** Where a byte-level fault cuts a stream, if it does. */
function cutPoint(fault: BreakingFault | undefined): number | undefined {
  if (!fault || !(fault.kind === 'stall' || fault.kind === 'reset' || fault.kind === 'malformed'))
    return undefined;
  return fault.afterEvents ?? CUT_DEFAULTS[fault.kind];
}

export interface StreamOptions {
  headers: Record<string, string>;
  fault: BreakingFault | undefined;
  /** Pause between events, to make streaming observable. */
  chunkDelayMs: number;
}

export async function writeStream(ex: Exchange, frames: SseFrame[], options: StreamOptions): Promise<void> {
  const { res } = ex;
  const start = (): void => {
    if (res.headersSent) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...options.headers,
    });
  };
  const cut = cutPoint(options.fault);
  let flushed: Promise<void> = Promise.resolve();
  for (let i = 0; i <= frames.length; i++) {
    if (i === cut && options.fault) {
      const fault = options.fault;
      // Destroying the socket drops unflushed writes: let the events before the cut reach the client.
      if (fault.kind === 'reset') return flushed.then(() => ex.reset());
      if (fault.kind === 'malformed') {
        // The next event, cut in half: its name is kept so the SDK does parse (and choke on) its data.
        const next = frames[Math.min(i, frames.length - 1)];
        start();
        res.end(encodeFrame({ event: next?.event, data: halfOf(next?.data ?? '{"') }));
        return;
      }
      if (fault.kind === 'stall') await ex.wait(fault.ms);
    }
    if (ex.isClosed) return;
    const frame = frames[i];
    if (!frame) break;
    start();
    flushed = new Promise((resolve) => res.write(encodeFrame(frame), () => resolve()));
    if (options.chunkDelayMs > 0) await ex.wait(options.chunkDelayMs);
  }
  start();
  res.end();
}

/** The first half of a JSON document: never parseable, since a complete document ends in its second half. */
function halfOf(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}

export function writeJson(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  fault?: BreakingFault,
): void {
  let text = JSON.stringify(body);
  // Cut mid-document: the client sees a 200 with `application/json` it cannot parse.
  if (fault?.kind === 'malformed') text = halfOf(text);
  ex.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  ex.res.end(text);
}
