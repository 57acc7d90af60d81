import { describe, expect, it } from 'vitest';
import { addressKey } from './address-key.js';

describe('addressKey', () => {
  it('keeps an IPv4 address, also when written IPv4-mapped', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });

  it('counts every address of one IPv6 /64 as one, however it is written', () => {
    const key = addressKey('2001:db8:aa:1::1');
    expect(key).toBe('2001:db8:aa:1::/64');
    for (const other of ['2001:0db8:00aa:0001:ffff:ffff:ffff:fffe', '2001:DB8:AA:1:0:0:0:2', '2001:db8:aa:1:1234::9%eth0']) {
      expect(addressKey(other)).toBe(key);
    }
    expect(addressKey('2001:db8:aa:2::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('passes anything else through (a proxy may send a name)', () => {
    expect(addressKey('unknown')).toBe('unknown');
  });
});
