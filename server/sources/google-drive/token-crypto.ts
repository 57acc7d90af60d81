/**
 * Refresh tokens are long-lived credentials to a user's whole Drive, so they are
 * stored sealed with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each part
 * base64url. The version prefix lets a later format (or key rotation) coexist
 * with rows written today. The key is read from TOKEN_ENCRYPTION_KEY by
 * server/secret-key.ts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The sealed token cannot be opened: wrong key, corrupted or tampered with. Never retryable. */
export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt the stored Google token: ${reason}`);
    this.name = 'TokenDecryptionError';
  }
}

export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

export function createTokenCipher(key: Buffer): TokenCipher {
  assertKey(key);
  return {
    encrypt: (plaintext) => encryptToken(plaintext, key),
    decrypt: (sealed) => decryptToken(sealed, key),
  };
}

export function encryptToken(plaintext: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((bytes) => bytes.toString('base64url'));
  return [FORMAT_VERSION, ...parts].join('.');
}

export function decryptToken(sealed: string, key: Buffer): string {
  assertKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4) throw new TokenDecryptionError('not in the v1.<iv>.<tag>.<ciphertext> format');
  const [version, ivPart, tagPart, ciphertextPart] = parts as [string, string, string, string];
  if (version !== FORMAT_VERSION) throw new TokenDecryptionError(`unknown format version "${version}"`);
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenDecryptionError('malformed IV or authentication tag');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertextPart, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenDecryptionError('authentication failed (wrong key, or the value was altered)');
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`The token encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}
