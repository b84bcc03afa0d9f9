// PHP `json_encode($value)` with default flags, as Magento's `Serializer\Json::serialize` calls it.
// The bytes matter: `data_hash` is the sha256 of the stored `serialized_data` string, so a client
// that recomputes it needs the exact PHP rendering: `/` escaped as `\/`, non-ASCII as `\uXXXX`
// (lower-case hex; DEL stays raw: only characters below 0x20 are control escapes), objects
// decoded as PHP arrays (so `{}` re-encodes as `[]` and an object with keys "0".."n-1"
// re-encodes as a list), floats printed the way PHP 7.1+ prints them.
//
// Known limit: JSON numbers are JS numbers here, so `29.0` in a request is seen as `29` and
// re-encoded as `29` (PHP would keep `29.0`); JS also orders integer-like object keys first.

const hex = (code: number): string => '\\u' + code.toString(16).padStart(4, '0');

// Printable ASCII except `"`, `\\` and `/`: the common case, copied as is.
const PLAIN = /^[\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7f]*$/;
const NEEDS_PHP_ESCAPE = /[/\u0080-\uffff]/g;

export function phpJsonString(value: string): string {
  if (PLAIN.test(value)) return '"' + value + '"';
  // JSON.stringify already escapes `"`, `\\` and control characters exactly as PHP does
  // (\b \f \n \r \t, else lower-case \u00XX); PHP additionally escapes `/` and non-ASCII.
  return JSON.stringify(value).replace(NEEDS_PHP_ESCAPE, (c) => (c === '/' ? '\\/' : hex(c.charCodeAt(0))));
}

export function phpJsonNumber(value: number): string {
  if (!Number.isFinite(value)) {
    // PHP refuses INF/NAN (json_encode returns false); JSON input can never carry them.
    throw new TypeError('Inf and NaN cannot be JSON encoded');
  }
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  // PHP prints floats in exponent form with a mandatory fraction: 1.0e+25, 1.0e-7.
  const mantissa = text.slice(0, e);
  return (mantissa.includes('.') ? mantissa : mantissa + '.0') + text.slice(e);
}

/** PHP decodes every JSON object to an array; one with keys "0".."n-1" (or none) is a list. */
function isPhpList(keys: string[]): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] !== String(i)) return false;
  return true;
}

export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'number': return phpJsonNumber(value);
    case 'string': return phpJsonString(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(phpJsonEncode).join(',') + ']';
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (isPhpList(keys)) return '[' + keys.map((k) => phpJsonEncode(record[k])).join(',') + ']';
      return '{' + keys.map((k) => phpJsonString(k) + ':' + phpJsonEncode(record[k])).join(',') + '}';
    }
    default:
      throw new TypeError(`cannot JSON-encode a ${typeof value}`);
  }
}
