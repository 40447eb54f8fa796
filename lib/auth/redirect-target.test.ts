import { describe, expect, it } from 'vitest';
import { sameOriginTarget } from './redirect-target';

const origin = 'https://tarmo.example:8443';

describe('sameOriginTarget', () => {
  it.each([
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'http:evil.example',
    'https://evil.example/journeys',
    'http://tarmo.example:8443/journeys', // another scheme is another origin
    'https://tarmo.example:8443@evil.example/',
    'https://tarmo.example.evil.example/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/.//evil.example',
    '/\t/evil.example',
    'ht\ntps://evil.example',
    '',
  ])('sends %j to the default page', (raw) => {
    expect(sameOriginTarget(raw, origin)).toBe('/journeys');
  });

  it('keeps a same-origin path, query and fragment', () => {
    expect(sameOriginTarget('/customers/7?tab=consent#history', origin)).toBe(
      '/customers/7?tab=consent#history',
    );
    expect(sameOriginTarget('https://tarmo.example:8443/mission-control', origin)).toBe('/mission-control');
    expect(sameOriginTarget('settings', origin)).toBe('/settings');
  });

  it('keeps an encoded double slash as a path on this origin', () => {
    expect(sameOriginTarget('%2F%2Fevil.example', origin)).toBe('/%2F%2Fevil.example');
  });

  it('reads a scheme-relative spelling the way a browser does: never another host', () => {
    // On an https origin "https:evil.example" is the relative path "evil.example".
    expect(sameOriginTarget('https:evil.example', origin)).toBe('/evil.example');
    expect(sameOriginTarget('https:evil.example', 'http://127.0.0.1:3000')).toBe('/journeys');
  });

  it('uses the given fallback', () => {
    expect(sameOriginTarget(null, origin, '/login')).toBe('/login');
    expect(sameOriginTarget('//evil.example', origin, '/login')).toBe('/login');
  });
});
