import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The session id behind a Cookie header, if its signature is ours: the format
 * express-session writes (cookie-signature: `s:<id>.<base64 HMAC-SHA256 without =>`,
 * URL-encoded). For the cached views' path, which answers without express-session;
 * its tests (tests/integration/wire-cache.test.ts) use cookies express-session made.
 */
export function signedSessionId(cookieHeader: string | undefined, cookieName: string, secret: string): string | null {
  if (!cookieHeader) return null;
  const raw = cookieValue(cookieHeader, cookieName);
  if (!raw) return null;
  // A browser sends the same cookie for days: a good signature is remembered (the id behind it is still looked up every time).
  let checked = verifiedBySecret.get(secret);
  if (!checked) {
    checked = new Map();
    verifiedBySecret.set(secret, checked);
  }
  const known = checked.get(raw);
  if (known !== undefined) return known;
  const id = verify(raw, secret);
  if (id === null) return null;
  if (checked.size >= VERIFIED_KEPT) checked.delete(checked.keys().next().value!);
  checked.set(raw, id);
  return id;
}

const VERIFIED_KEPT = 10_000;
const verifiedBySecret = new Map<string, Map<string, string>>();

function verify(raw: string, secret: string): string | null {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!value.startsWith('s:')) return null;
  const dot = value.lastIndexOf('.');
  if (dot < 3) return null;
  const id = value.slice(2, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** The first cookie of that name (express-session reads the first too). */
function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
