import { describe, expect, it } from 'vitest';
import { clientAddress, PEER_ADDRESS_HEADER, trustedProxyCount } from './client-address';

const request = (peer: string | undefined, forwarded?: string) =>
  new Headers({
    ...(peer === undefined ? {} : { [PEER_ADDRESS_HEADER]: peer }),
    ...(forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }),
  });

describe('clientAddress', () => {
  it('uses the socket address and ignores X-Forwarded-For by default', () => {
    expect(clientAddress(request('198.51.100.7', '1.2.3.4'), 0)).toBe('198.51.100.7');
    expect(clientAddress(request('::ffff:198.51.100.7'), 0)).toBe('198.51.100.7');
    expect(clientAddress(request(undefined, '1.2.3.4'), 0)).toBe('unknown');
  });

  it('believes as many hops as there are trusted proxies, and no more', () => {
    // client 203.0.113.5 → proxy A (10.0.0.2) → proxy B (10.0.0.3, the socket peer)
    const twoHops = request('10.0.0.3', 'forged, 203.0.113.5, 10.0.0.2');
    expect(clientAddress(twoHops, 2)).toBe('203.0.113.5');
    expect(clientAddress(twoHops, 1)).toBe('10.0.0.2');
    // One proxy: the client's own "X-Forwarded-For: 1.2.3.4" stays to the left of what it saw.
    expect(clientAddress(request('10.0.0.3', '1.2.3.4, 203.0.113.5'), 1)).toBe('203.0.113.5');
    // Fewer hops than configured: the leftmost; garbage where a proxy should have written: the peer.
    expect(clientAddress(request('10.0.0.3', '203.0.113.5'), 3)).toBe('203.0.113.5');
    expect(clientAddress(request('10.0.0.3', 'not-an-ip'), 1)).toBe('10.0.0.3');
  });

  it('reads plain header objects (next-auth) too', () => {
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: '192.0.2.1', 'x-forwarded-for': '9.9.9.9' }, 0)).toBe(
      '192.0.2.1',
    );
  });

  it('reads TARMO_TRUSTED_PROXIES as a small whole number, else 0', () => {
    expect([undefined, '', '0', '2', '-1', 'abc', '1.5', '99'].map(trustedProxyCount)).toEqual([
      0, 0, 0, 2, 0, 0, 0, 0,
    ]);
  });
});
