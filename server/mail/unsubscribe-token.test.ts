import { describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from './unsubscribe-token.js';

describe('unsubscribe tokens', () => {
  const tokens = new UnsubscribeTokens('a secret of the deployment');

  it('name the user and the kind of mail they were made for', () => {
    expect(tokens.verify(tokens.sign(42, 'milestone'))).toEqual({ userId: 42, kind: 'milestone' });
  });

  it('refuse a token changed to another user or kind, or signed with another secret', () => {
    const [, kind, signature] = tokens.sign(42, 'milestone').split('.');
    expect(tokens.verify(`43.${kind}.${signature}`)).toBeNull();
    expect(tokens.verify(`42.on_this_day.${signature}`)).toBeNull();
    expect(tokens.verify(new UnsubscribeTokens('another secret').sign(42, 'milestone'))).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.verify('42.milestone')).toBeNull();
  });
});
