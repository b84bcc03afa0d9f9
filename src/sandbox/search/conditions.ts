// Evaluates one searchCriteria filter against one item value the way MySQL evaluates the SQL
// that Magento's adapter (Pdo\Mysql::prepareSqlCondition) builds: NULL never matches anything but
// `null`, string comparison is case-insensitive (utf8 general collation), numbers compare as numbers.

export type FieldValue = unknown;

function isNullish(v: FieldValue): boolean {
  return v === null || v === undefined;
}

/** The scalar MySQL would compare: arrays become comma lists (multiselect storage), booleans 1/0. */
export function sqlScalar(v: FieldValue): string | number | null {
  if (isNullish(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return v.map((x) => String(x)).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function isNumeric(s: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
}

/** MySQL comparison: numeric when the column is numeric (or both sides look numeric), else case-insensitive text. Returns <0, 0, >0. */
export function sqlCompare(column: string | number, value: string): number {
  if (typeof column === 'number') {
    const n = isNumeric(value) ? Number(value) : Number.parseFloat(value) || 0;
    return column === n ? 0 : column < n ? -1 : 1;
  }
  if (isNumeric(column) && isNumeric(value)) {
    const a = Number(column);
    const b = Number(value);
    return a === b ? 0 : a < b ? -1 : 1;
  }
  const a = column.toLowerCase();
  const b = value.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function findInSet(needle: string, set: string): boolean {
  return set.split(',').some((member) => member.toLowerCase() === needle.toLowerCase());
}

/**
 * True when the value satisfies the condition. `moreq` and unknown condition types fall into the
 * adapter's "OR list" branch where a scalar value is an equality (contract §4.2, [inferred]).
 */
export function matchesCondition(raw: FieldValue, conditionType: string, value: string): boolean {
  const column = sqlScalar(raw);
  const type = conditionType.toLowerCase();
  if (type === 'null') return column === null;
  if (type === 'notnull') return column !== null;
  if (type === 'seq') return column === null ? value === '' : sqlCompare(column, value) === 0;
  if (type === 'sneq') return column === null ? value !== '' : sqlCompare(column, value) !== 0;
  if (column === null) return false;
  switch (type) {
    case 'eq':
      return sqlCompare(column, value) === 0;
    case 'neq':
      return sqlCompare(column, value) !== 0;
    case 'gt':
      return sqlCompare(column, value) > 0;
    case 'lt':
      return sqlCompare(column, value) < 0;
    case 'gteq':
    case 'from':
      return sqlCompare(column, value) >= 0;
    case 'lteq':
    case 'to':
      return sqlCompare(column, value) <= 0;
    case 'like':
      return likeToRegExp(value).test(String(column));
    case 'nlike':
      return !likeToRegExp(value).test(String(column));
    case 'in':
      return value.split(',').some((v) => sqlCompare(column, v) === 0);
    case 'nin':
      return !value.split(',').some((v) => sqlCompare(column, v) === 0);
    case 'finset':
      return findInSet(value, String(column));
    case 'nfinset':
      return !findInSet(value, String(column));
    case 'regexp':
      try {
        return new RegExp(value, 'i').test(String(column));
      } catch {
        return false;
      }
    default:
      // moreq, ntoa and anything unknown: equality.
      return sqlCompare(column, value) === 0;
  }
}

/** ORDER BY comparison: NULLs first ascending, numbers numerically, text case-insensitively. */
export function sortCompare(a: FieldValue, b: FieldValue): number {
  const x = sqlScalar(a);
  const y = sqlScalar(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return sqlCompare(typeof x === 'number' ? x : String(x), String(y));
}
