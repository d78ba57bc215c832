/** The UI's calls to its server: JSON in and out; an error answer becomes an Error with the server's message. */
export async function get<T>(path: string): Promise<T> {
  const res = await fetch(`/api/${path}`, { credentials: 'same-origin' });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api/${path}`, {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const out = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(out.error ?? `${res.status} ${res.statusText}`);
  return out;
}

/** Server-sent events of one kind; returns a function that stops listening. */
export function listen<T>(path: string, event: string, on: (v: T) => void): () => void {
  const src = new EventSource(`/api/${path}`);
  src.addEventListener(event, (e) => on(JSON.parse((e as MessageEvent<string>).data) as T));
  return () => src.close();
}
