import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenDecryptionError, createTokenCipher, decryptToken, encryptToken } from './token-crypto.js';

const key = randomBytes(32);
const refreshToken = '1//0gAbCdEfGhIjKlMnOpQrStUvWxYz-refresh-token_with.dots';

describe('token crypto', () => {
  it('round-trips a refresh token through the v1 sealed format', () => {
    const sealed = encryptToken(refreshToken, key);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(refreshToken);
    expect(decryptToken(sealed, key)).toBe(refreshToken);
  });

  it('seals the same token differently every time (random IV)', () => {
    const cipher = createTokenCipher(key);
    expect(cipher.encrypt(refreshToken)).not.toBe(cipher.encrypt(refreshToken));
  });

  it('refuses a value whose ciphertext was altered', () => {
    const [version, iv, tag, ciphertext] = encryptToken(refreshToken, key).split('.') as [string, string, string, string];
    const bytes = Buffer.from(ciphertext, 'base64url');
    bytes[0] = bytes[0]! ^ 0x01;
    const tampered = [version, iv, tag, bytes.toString('base64url')].join('.');
    expect(() => decryptToken(tampered, key)).toThrow(TokenDecryptionError);
    expect(() => decryptToken(tampered, key)).toThrow(/authentication failed/);
  });

  it('refuses a value sealed with another key', () => {
    expect(() => decryptToken(encryptToken(refreshToken, randomBytes(32)), key)).toThrow(/wrong key/);
  });

  it('refuses values that are not in the sealed format', () => {
    expect(() => decryptToken('plain-refresh-token', key)).toThrow(/format/);
    expect(() => decryptToken('v2.a.b.c', key)).toThrow(/unknown format version "v2"/);
    expect(() => decryptToken('v1.short.short.abcd', key)).toThrow(/malformed/);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => encryptToken(refreshToken, randomBytes(16))).toThrow(/32 bytes/);
  });
});
