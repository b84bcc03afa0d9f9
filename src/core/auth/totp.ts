// RFC 6238 TOTP (RFC 4226 HOTP over a time counter), as Google Authenticator computes it:
// base32 secret, 30-second steps, 6 digits, HMAC-SHA1 by default. Used by tests against the
// sandbox's 2FA and by the CLI's `--otp-secret` convenience.
import { createHmac } from 'node:crypto';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Unix time in milliseconds (default: now). */
  timeMs?: number;
  stepSeconds?: number;
  digits?: number;
  algorithm?: TotpAlgorithm;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive; spaces, dashes and `=` padding ignored). */
export function base32Decode(input: string): Buffer {
  const clean = input.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`The OTP secret is not base32: unexpected character '${char}'.`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function base32Encode(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac(algorithm, key).update(message).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const binary = ((hmac[offset]! & 0x7f) << 24) | (hmac[offset + 1]! << 16) | (hmac[offset + 2]! << 8) | hmac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code for a raw key at the given time. */
export function totpFromKey(key: Buffer, options: TotpOptions = {}): string {
  const step = options.stepSeconds ?? 30;
  const counter = Math.floor((options.timeMs ?? Date.now()) / 1000 / step);
  return hotp(key, counter, options.digits ?? 6, options.algorithm ?? 'sha1');
}

/** The TOTP code for a base32 secret (what authenticator apps and Magento's 2FA store). */
export function totp(base32Secret: string, options: TotpOptions = {}): string {
  return totpFromKey(base32Decode(base32Secret), options);
}
