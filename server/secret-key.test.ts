import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretKey } from './secret-key.js';

describe('parseSecretKey', () => {
  it('reads a key written as hex or base64 and refuses anything else', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(`${key.toString('base64url')}\n`)).toEqual(key);
    expect(() => parseSecretKey('too-short')).toThrow(/32 bytes/);
    expect(() => parseSecretKey(randomBytes(24).toString('base64'))).toThrow(/32 bytes/);
  });
});
