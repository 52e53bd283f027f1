/** Cookies set by an answer, by name. */
export function setCookies(response: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    out.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return out;
}

export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The console and customer page over plain HTTP (no browser): sign-ins, pages, forms. */
export function consoleHttp(base: () => string) {
  const get = (path: string, cookie = '', accept = 'text/html') =>
    fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie, accept } });
  const post = (path: string, form: Record<string, string>, cookie = '') =>
    fetch(`${base()}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  return {
    get,
    post,
    /**
     * Signs a DPO in with their token: the session id (cookie value), the page's CSRF token and
     * the sign-in's status.
     */
    async signInDpo(token: string) {
      const form = await get('/console/sign-in');
      const pre = setCookies(form).get('lk_pre') ?? '';
      const signedIn = await post(
        '/console/sign-in',
        { csrf: csrfOf(await form.text()), token },
        `lk_pre=${pre}`,
      );
      const id = setCookies(signedIn).get('lk_dpo') ?? '';
      const cookie = `lk_dpo=${id}`;
      const csrf = csrfOf(await (await get('/console', cookie)).text());
      return { id, cookie, csrf, status: signedIn.status };
    },
    /** Signs a customer in with a one-time link token (and the link's status). */
    async signInCustomer(linkToken: string) {
      const link = await post('/me/link', { token: linkToken });
      const id = setCookies(link).get('lk_me') ?? '';
      const cookie = `lk_me=${id}`;
      return {
        id,
        cookie,
        csrf: csrfOf(await (await get('/me', cookie)).text()),
        status: link.status,
      };
    },
  };
}
