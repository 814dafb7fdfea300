// openid-client (the OpenID-certified Node library) as a relying party of Jeton: discovery,
// authorization code with PKCE through Jeton's login page, ID token validation (signature
// included: enableNonRepudiationChecks), userinfo, refresh, RP-initiated logout. Prints one JSON
// line per step.
// Usage: node probe.js ISSUER CLIENT_ID REDIRECT_URI USERNAME PASSWORD AUTH [ID_TOKEN_ALG [POST_LOGOUT_REDIRECT_URI]]
//   AUTH: "private_key_jwt:FILE" (a private JWK in FILE), "basic:SECRET" or "none".
import * as client from 'openid-client';
import { readFileSync } from 'node:fs';

const [issuer, clientId, redirectUri, username, password, auth, idTokenAlg, postLogout] = process.argv.slice(2);
const out = (step, value) => console.log(JSON.stringify({ step, ...value }));

async function clientAuthentication() {
  if (auth === 'none') return client.None();
  if (auth.startsWith('basic:')) return client.ClientSecretBasic(auth.slice(6));
  if (auth.startsWith('private_key_jwt:')) {
    const jwk = JSON.parse(readFileSync(auth.slice(16), 'utf8'));
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    return client.PrivateKeyJwt({ key, kid: jwk.kid });
  }
  throw new Error('unknown AUTH ' + auth);
}

// Jeton's login page, as a person would fill it in: its hidden fields, the CSRF cookie, the password.
async function login(authorizeUrl) {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error('authorize answered ' + page.status + ': ' + await page.text());
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1], m[2].replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
  }
  form.set('username', username);
  form.set('password', password);
  const posted = await fetch(new URL('/oidc/authorize', authorizeUrl), {
    method: 'POST', redirect: 'manual', body: form,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (posted.status !== 302) throw new Error('login answered ' + posted.status + ': ' + await posted.text());
  return new URL(posted.headers.get('location'));
}

const metadata = idTokenAlg && idTokenAlg !== '-' ? { id_token_signed_response_alg: idTokenAlg } : undefined;
const config = await client.discovery(new URL(issuer), clientId, metadata, await clientAuthentication(),
  { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] });
out('discovery', { issuer: config.serverMetadata().issuer });

const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizeUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri, scope: 'openid profile email', state, nonce,
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
});
const callback = await login(authorizeUrl);
const tokens = await client.authorizationCodeGrant(config, callback,
  { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
const claims = tokens.claims();
const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString());
out('code', { alg: header.alg, sub: claims.sub, aud: claims.aud, nonce: claims.nonce, at_hash: claims.at_hash,
  has_refresh: Boolean(tokens.refresh_token) });

const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
out('userinfo', userinfo);

if (tokens.refresh_token) {
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const again = await client.fetchUserInfo(config, refreshed.access_token, claims.sub);
  out('refresh', { rotated: refreshed.refresh_token !== tokens.refresh_token, sub: again.sub });
}
// RP-initiated logout as the library builds it (end_session_endpoint from discovery); the browser
// would follow the redirect back to the application.
if (postLogout) {
  const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogout, state: 'bye' });
  const ended = await fetch(endSession, { redirect: 'manual' });
  out('logout', { url: endSession.href, status: ended.status, location: ended.headers.get('location'), sid: claims.sid });
}
out('done', {});
