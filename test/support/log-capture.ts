/** A pino destination that keeps the server's log lines in memory, parsed, for tests to read. */
export type LogLine = Record<string, unknown> & { level: string; msg: string; requestId?: string };

export class LogCapture {
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    for (const text of chunk.split('\n')) if (text.trim()) this.lines.push(JSON.parse(text) as LogLine);
  }

  /** Lines logged under a request id. */
  forRequest(requestId: string): LogLine[] {
    return this.lines.filter((line) => line.requestId === requestId);
  }

  /**
   * The request line of a request id. It is written when the response closes, which can come a
   * moment after the client has read the body: waits for it a little (a bound, not a timing).
   */
  async requestLine(requestId: string): Promise<LogLine> {
    for (let i = 0; i < 100; i++) {
      const line = this.forRequest(requestId).find((l) => 'status' in l);
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no request line for ${requestId} in ${this.lines.length} lines`);
  }
}
