import { describe, expect, it } from 'vitest';
import { signupInput } from './auth.schema.js';
import { commonPasswordReason } from './common-passwords.js';

describe('common passwords', () => {
  it.each([
    'password12',
    'Password123!',
    'p4ssw0rd2024',
    'qwerty12345',
    '1234567890',
    '0123456789',
    'abcdefghijk',
    'aaaaaaaaaa',
    'ababababab',
    '1q2w3e4r5t',
    'iloveyou12',
    'welcome2024',
    'Concert2024!',
  ])('refuses %s', (password) => {
    expect(commonPasswordReason(password)).toMatch(/choose another$/);
  });

  it.each(['correct horse battery', 'a long enough password', 'see-every-show-again', 'another horse battery staple', 'Tr4mline-Quartz-91'])(
    'accepts %s',
    (password) => {
      expect(commonPasswordReason(password)).toBeNull();
    },
  );

  it('is part of the sign-up schema, with a message for the form', () => {
    const result = signupInput.safeParse({ email: 'a@example.test', name: 'A', password: 'password12' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('This password is a common word with digits or symbols added: choose another');
  });
});
