// RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) as Google Authenticator and Magento's
// Google provider use it. Written for the sandbox only; the client has its own.
import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
  const clean = input.replace(/=+$/g, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32_ALPHABET.indexOf(ch);
    if (index < 0) throw new Error(`invalid base32 character '${ch}'`);
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

/** RFC 4226 HOTP value for one counter. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

export function totp(base32Secret: string, nowMs: number, stepSeconds = 30, digits = 6): string {
  return hotp(base32Decode(base32Secret), Math.floor(nowMs / 1000 / stepSeconds), digits);
}

/** Accepts the current step and one step either side (clock drift), like authenticator servers do. */
export function verifyTotp(base32Secret: string, otp: string, nowMs: number, window = 1): boolean {
  if (!/^\d{6}$/.test(otp)) return false;
  const key = base32Decode(base32Secret);
  const counter = Math.floor(nowMs / 30000);
  for (let d = -window; d <= window; d++) {
    const expected = Buffer.from(hotp(key, counter + d));
    if (timingSafeEqual(expected, Buffer.from(otp))) return true;
  }
  return false;
}
