// Masks secrets before anything is logged, shown in an error, exported or posted to a webview.
// Pattern-based masking catches what the code did not know was secret (a token echoed in a
// URL, an OAuth header inside an error message); `redactKnownSecrets` additionally removes
// exact values the caller knows (passwords, tokens) wherever they appear.

const MASK = '***';

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // "authorization": "Bearer xxx" inside JSON (up to the closing quote)
  [/("authorization"\s*:\s*")(bearer|oauth|basic)\s+(?:[^"\\]|\\.)*"/gi, `$1$2 ${MASK}"`],
  // Authorization: OAuth k="v", ... as a raw header line (OAuth values are quoted: up to end of line)
  [/(authorization\s*[:=]\s*)(bearer|oauth|basic)\s+[^\r\n]+/gi, `$1$2 ${MASK}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, `Bearer ${MASK}`],
  [/(oauth_(?:signature|token_secret|token|consumer_key|consumer_secret|nonce|verifier)=)("?)[^",&\s]+/gi, `$1$2${MASK}`],
  // The same inside an encoded signature base string (oauth_token%3Dvalue%26...).
  [/(oauth_(?:token|consumer_key|nonce|signature)%3D)[A-Za-z0-9._~-]+/gi, `$1${MASK}`],
  // JWTs (Magento 2.4.4+ admin/customer tokens) wherever they appear, e.g. echoed in a URL or body.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, MASK],
  // Unquoted form/query/env style: password=..., otp=..., MAGENTO_PASSWORD=..., tfaToken=...
  [/(\b(?:[A-Z_]*_)?(?:password|passwd|otp|otp_secret|tfaToken|access_token|access_token_secret|consumer_secret|token_secret)=)(?!")[^&\s"]+/gi, `$1${MASK}`],
  [/("?(?:password|passwd|otp|token|access_token|accessToken|access_token_secret|accessTokenSecret|consumer_secret|consumerSecret|token_secret|tokenSecret|secret)"?\s*[:=]\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${MASK}"`],
  [/(redis(?:s)?:\/\/[^:@/\s]*:)[^@/\s]+@/gi, `$1${MASK}@`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Removes every occurrence of the given secret values (ignores values shorter than 4 chars). */
export function redactKnownSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return redactText(out);
}
