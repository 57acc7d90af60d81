/**
 * Reads a 32-byte secret key from configuration (TOKEN_ENCRYPTION_KEY): 64 hex
 * characters or base64 (e.g. `openssl rand -base64 32`). Anything else is refused
 * rather than stretched, so a typo cannot silently weaken the key. Kept apart from
 * what uses the key, so server/config.ts can check it without importing a source.
 */
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
/** 32 bytes are 43 base64 characters plus one '=' of padding (standard or URL-safe alphabet). */
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

export function parseSecretKey(value: string): Buffer {
  const trimmed = value.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (BASE64_KEY.test(trimmed)) return Buffer.from(trimmed, 'base64');
  throw new Error('The token encryption key must be 32 bytes, written as 64 hex characters or as base64 (openssl rand -base64 32)');
}
