/** Logs the seeded users in over HTTP, once, before the load (login limits stay on). */
export interface BrowserIdentity {
  /** Origin the browser would send: the public HTTPS address (TLS ends at the proxy in front). */
  origin: string;
  /** What the TLS-terminating proxy adds (deploy/nginx): the app then sets its Secure cookies. */
  proxyHeaders: Record<string, string>;
}

export function browserIdentity(url: string): BrowserIdentity {
  const { host } = new URL(url);
  return { origin: `https://${host}`, proxyHeaders: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } };
}

export async function logIn(
  url: string,
  identity: BrowserIdentity,
  users: ReadonlyArray<{ email: string }>,
  password: string,
  parallel = 4,
): Promise<string[]> {
  const cookies: string[] = new Array(users.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < users.length) {
        const index = next++;
        const response = await fetch(`${url}/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: identity.origin, ...identity.proxyHeaders },
          body: JSON.stringify({ json: { email: users[index]!.email, password } }),
        });
        const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ch.sid='));
        if (response.status !== 200 || !cookie) {
          throw new Error(
            `auth.login for ${users[index]!.email} answered ${response.status} ${cookie ? '' : '(no session cookie) '}${await response.text()}`,
          );
        }
        cookies[index] = cookie.split(';')[0]!;
      }
    }),
  );
  return cookies;
}
