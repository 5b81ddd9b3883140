// node sign.mjs ALG KID CLAIMS_JSON
// Generates a key pair for ALG, signs an access token (typ at+jwt) holding
// CLAIMS_JSON with it, and prints {"jwk": public JWK, "token": ...}.
import { generateKeyPair, exportJWK, SignJWT } from 'jose';

const [alg, kid, claims] = process.argv.slice(2);
const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
const token = await new SignJWT(JSON.parse(claims))
  .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
  .sign(privateKey);
console.log(JSON.stringify({ jwk, token }));
