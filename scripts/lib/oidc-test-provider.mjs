// A real OpenID Connect provider for tests (the `oidc-provider` package, a certified implementation)
// on loopback over plain HTTP: scripts/e2e-server.mjs starts one beside the app so e2e/sso.spec.ts
// signs in through it. Its development login page takes any login and password; the login is the
// account's email, and its local part picks the account's groups (the role claim):
//   admin.*@… → tarmo-admins, compliance.*@… → tarmo-compliance, nobody.*@… → no groups,
//   anything else → tarmo-marketing.
// Consent is skipped (a first-party client), as a company's identity provider does for its own apps.
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

export const TEST_OIDC_ROLE_MAP = 'tarmo-admins=admin,tarmo-compliance=compliance,tarmo-marketing=marketer';

export function testGroupsFor(email) {
  const local = email.split('@')[0] ?? '';
  if (local.startsWith('admin.')) return ['staff', 'tarmo-admins'];
  if (local.startsWith('compliance.')) return ['staff', 'tarmo-compliance'];
  if (local.startsWith('nobody.')) return ['staff'];
  return ['staff', 'tarmo-marketing'];
}

/**
 * Starts the provider at http://127.0.0.1:<port> for one client whose redirect URI is
 * `<appUrl>/api/auth/callback/oidc`. Resolves to { issuer, close() }.
 */
export async function startTestOidcProvider({ port, clientId, clientSecret, appUrl }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // The claims go into the ID token, which is where Tarmo reads them (as most providers send them).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const email = String(id).trim().toLowerCase();
      return {
        accountId: email,
        async claims() {
          const local = email.split('@')[0] ?? '';
          return {
            sub: email,
            email,
            email_verified: true,
            name: `SSO ${local}`,
            groups: testGroupsFor(email),
          };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return await ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error'])
    provider.on(event, (_ctx, error) =>
      console.error(`test OIDC provider ${event}:`, error?.message ?? error),
    );
  const server = await new Promise((resolve, reject) => {
    const listening = provider.listen(port, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  return {
    issuer,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
