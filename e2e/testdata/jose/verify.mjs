// node verify.mjs TOKEN JWKS_URL ISSUER AUDIENCE
// Verifies an access token against a remote JWKS with jose and prints its
// payload as JSON; exits 1 when it does not verify.
import { jwtVerify, createRemoteJWKSet } from 'jose';

const [token, jwksURL, issuer, audience] = process.argv.slice(2);
try {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksURL)), {
    issuer, audience, typ: 'at+jwt',
  });
  console.log(JSON.stringify({ payload, header: protectedHeader }));
} catch (err) {
  console.error(`${err.code ?? 'ERR'}: ${err.message}`);
  process.exit(1);
}
