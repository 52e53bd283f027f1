/** A small client for the rights API in tests. */
export function apiClient(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    options: { token?: string; purpose?: string; body?: unknown } = {},
  ): Promise<{
    status: number;
    headers: Headers;
    json: () => Promise<unknown>;
    text: () => Promise<string>;
    bytes: () => Promise<ArrayBuffer>;
  }> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.purpose) headers['x-lukema-purpose'] = options.purpose;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return {
      status: response.status,
      headers: response.headers,
      json: () => response.json(),
      text: () => response.text(),
      bytes: () => response.arrayBuffer(),
    };
  };
}
