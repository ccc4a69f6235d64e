// A real OpenID Connect provider (panva's oidc-provider) for the single sign-on tests, on loopback only.
// Usage: PORT=… REDIRECT_URI=… CLIENT_SECRET=… ACCOUNTS='{"login": {claims}}' node provider.mjs
// It prints "klaar <issuer>" when it listens. Any login name is accepted by the development login form;
// the claims of a name come from ACCOUNTS (organisation and role claims for the kast, or none).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'apothekerskast',
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },   // the NL GOV OIDC profile: authorization code flow with PKCE S256
  claims: { openid: ['sub'], profile: ['name'], kast: ['kast_organisatie', 'kast_rol'] },
  scopes: ['openid', 'profile', 'kast'],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['alleen-voor-tests'] },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, ...(accounts[id] || {}) }; } };
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`klaar ${issuer}`));
