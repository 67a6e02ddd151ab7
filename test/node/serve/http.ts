// Real HTTP helpers for the serve and dashboard tests: fetch on loopback, and polling with a deadline (never a fixed sleep).

export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
}

export async function post<T = any>(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const raw = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(url, { method: 'POST', headers: raw === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: raw });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function get<T = any>(url: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

/** Polls `condition` until it holds or `deadlineMs` passes (then throws with `what`). */
export async function until<T>(what: string, condition: () => Promise<T | undefined | false> | T | undefined | false, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A Server-Sent Events reader over fetch: collects events as they come. */
export function readEvents(url: string): { events: { event: string; data: any }[]; close: () => void } {
  const controller = new AbortController();
  const events: { event: string; data: any }[] = [];
  void (async () => {
    try {
      const response = await fetch(url, { signal: controller.signal });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, close: () => controller.abort() };
}
