import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedInternalHosts, checkOutgoingUrl } from './outgoing-target';
import { safeFetch } from './safe-fetch';

const publicDns = async () => [{ address: '93.184.215.14', family: 4 }];

describe('checkOutgoingUrl', () => {
  const internal = [
    'http://127.0.0.1/',
    'http://2130706433/', // decimal
    'http://0x7f.1/', // hex, short
    'http://0x7f000001/',
    'http://127.1/', // short
    'http://0177.0.0.1/', // octal
    'http://[::ffff:127.0.0.1]/', // IPv4-mapped IPv6
    'http://[::ffff:7f00:1]/',
    'http://[::1]/',
    'http://0/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/', // cloud metadata
    'http://[fe80::1]/',
    'http://100.64.0.1/', // CGNAT
    'http://[fd00::1]/', // unique local
    'http://[64:ff9b::7f00:1]/', // NAT64 of 127.0.0.1
    'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
    'https://224.0.0.1/', // multicast
  ];
  it.each(internal)('refuses %s', async (url) => {
    const result = await checkOutgoingUrl(url, { allowHosts: [], resolve: publicDns });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/internal address/) });
  });

  it('refuses a DNS name when any of its answers is internal', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    expect(await checkOutgoingUrl('https://mixed.example/', { allowHosts: [], resolve })).toMatchObject({
      ok: false,
    });
    // The real resolver: localhost is loopback.
    expect(await checkOutgoingUrl('http://localhost:1/', { allowHosts: [] })).toMatchObject({ ok: false });
  });

  it('refuses other schemes, credentials and names that do not resolve', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'http://user:pw@example.com/', 'nonsense'])
      expect(await checkOutgoingUrl(url, { allowHosts: [], resolve: publicDns })).toMatchObject({
        ok: false,
      });
    const nowhere = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await checkOutgoingUrl('https://nowhere.invalid/', { allowHosts: [], resolve: nowhere })).toEqual({
      ok: false,
      reason: 'the host nowhere.invalid does not resolve',
    });
  });

  it('accepts a public host and pins the address it checked', async () => {
    const result = await checkOutgoingUrl('https://crm.example/hook', { allowHosts: [], resolve: publicDns });
    expect(result).toMatchObject({ ok: true, target: { address: '93.184.215.14', family: 4 } });
  });

  it('lets the operator allow a named internal host, with or without its port', async () => {
    expect(allowedInternalHosts(' crm.internal , 10.0.0.7:8443,,[::1]')).toEqual([
      'crm.internal',
      '10.0.0.7:8443',
      '[::1]',
    ]);
    const inside = async () => [{ address: '10.0.0.7', family: 4 }];
    const allowHosts = allowedInternalHosts('crm.internal,10.0.0.7:8443');
    expect(await checkOutgoingUrl('http://crm.internal/x', { allowHosts, resolve: inside })).toMatchObject({
      ok: true,
    });
    expect(await checkOutgoingUrl('https://10.0.0.7:8443/', { allowHosts })).toMatchObject({ ok: true });
    // Another port of the same address is not allowed, nor another internal host.
    expect(await checkOutgoingUrl('http://10.0.0.7:22/', { allowHosts })).toMatchObject({ ok: false });
    expect(await checkOutgoingUrl('http://10.0.0.8:8443/', { allowHosts })).toMatchObject({ ok: false });
  });
});

describe('safeFetch', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      hits.push(`${request.headers.host} ${request.url}`);
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/inside` }).end();
        return;
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to the address it checked, not to a second DNS answer (rebinding)', async () => {
    // The name exists only in this resolver's answer; the system resolver is never asked.
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const result = await safeFetch(`http://hooks.tarmo-test.invalid:${port}/pinned`, {
      method: 'POST',
      body: '{}',
      allowHosts: [`hooks.tarmo-test.invalid:${port}`],
      resolve,
    });
    expect(result).toMatchObject({ ok: true, response: { status: 204 } });
    expect(lookups).toBe(1);
    expect(hits).toContain(`hooks.tarmo-test.invalid:${port} /pinned`);
  });

  it('refuses an internal target without connecting, and never follows a redirect', async () => {
    const before = hits.length;
    const refused = await safeFetch(`http://127.1:${port}/`, { allowHosts: [] });
    expect(refused).toMatchObject({ ok: false, refused: true });
    expect(hits.length).toBe(before);
    const redirected = await safeFetch(`http://127.0.0.1:${port}/redirect`, {
      allowHosts: [`127.0.0.1:${port}`],
    });
    expect(redirected).toMatchObject({ ok: true, response: { status: 302 } });
    expect(hits.slice(before)).toEqual([`127.0.0.1:${port} /redirect`]);
  });
});
