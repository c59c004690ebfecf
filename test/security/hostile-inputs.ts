/**
 * Generated hostile inputs for the protocol endpoints: values, query strings, bodies and
 * Authorization headers. Deterministic (no randomness), so a failure names its input and
 * reproduces.
 */

export interface Named<T> {
  label: string;
  value: T;
}

/** Where an injected header would show up if a value reached a header unescaped. */
export const INJECTED_HEADER = 'x-darvaze-injected';

/** Values that have broken parsers, templates, headers and databases somewhere. */
export const HOSTILE_VALUES: Named<string>[] = [
  { label: 'empty', value: '' },
  { label: 'spaces', value: '   ' },
  { label: 'oversized 8k', value: 'A'.repeat(8 * 1024) },
  { label: 'oversized unicode', value: 'ژ'.repeat(3000) },
  { label: 'NUL', value: 'sales\u0000admin' },
  { label: 'CRLF header', value: `x\r\n${INJECTED_HEADER}: 1\r\nSet-Cookie: injected=1` },
  { label: 'LF only', value: `x\n${INJECTED_HEADER}: 1` },
  { label: 'RTL override', value: '\u202Eselas\u202C' },
  { label: 'zero width', value: 'sa\u200Bles\u200D\uFEFF' },
  { label: 'homoglyph', value: 'sаlеs' }, // Cyrillic а and е
  { label: 'fullwidth', value: 'ｓａｌｅｓ' },
  { label: 'combining marks', value: `s${'\u0301'.repeat(200)}ales` },
  { label: 'lone surrogate', value: 'a\uD800b' },
  { label: 'emoji', value: '😀'.repeat(50) },
  { label: 'persian digits', value: '۰۹۱۲۱۲۳۴۵۶۷' },
  { label: 'html', value: '"><script>alert(1)</script><img src=x onerror=alert(1)>' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder is the hostile input
  { label: 'template', value: '{{7*7}}${7*7}<%= 7*7 %>#{7*7}' },
  { label: 'sql', value: "' OR '1'='1'; DROP TABLE clients; --" },
  { label: 'json object', value: '{"$gt":"","__proto__":{"admin":true}}' },
  { label: 'proto key', value: '__proto__' },
  { label: 'constructor', value: 'constructor' },
  { label: 'path traversal', value: '../../../../etc/passwd' },
  { label: 'javascript url', value: 'javascript:alert(1)' },
  { label: 'data url', value: 'data:text/html,<script>alert(1)</script>' },
  { label: 'other host url', value: 'https://evil.example/cb' },
  { label: 'protocol relative', value: '//evil.example/cb' },
  { label: 'backslash host', value: 'https:\\\\evil.example' },
  { label: 'encoded CRLF text', value: '%0d%0aSet-Cookie:%20injected=1' },
  { label: 'negative number', value: '-1' },
  { label: 'huge number', value: '1e309' },
  { label: 'NaN', value: 'NaN' },
  { label: 'jwt-shaped garbage', value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
  { label: 'format string', value: '%s%s%s%n%x' },
];

/** One value per field at a time, the rest of `base` left valid. */
export function queryVariants(base: Record<string, string>, fields: readonly string[]): Named<string>[] {
  const variants: Named<string>[] = [];
  for (const field of fields) {
    for (const { label, value } of HOSTILE_VALUES) {
      const params = new URLSearchParams(base);
      params.set(field, value);
      variants.push({ label: `${field}=${label}`, value: params.toString() });
    }
  }
  return variants;
}

/** Query strings no URLSearchParams would produce: repeats, broken escapes, odd separators. */
export function rawQueryVariants(base: Record<string, string>, fields: readonly string[]): Named<string>[] {
  const valid = new URLSearchParams(base).toString();
  const variants: Named<string>[] = [];
  for (const field of fields) {
    variants.push({
      label: `${field} repeated`,
      value: `${valid}&${field}=${encodeURIComponent(base[field] ?? 'x')}`,
    });
    variants.push({ label: `${field} repeated differently`, value: `${valid}&${field}=other` });
    variants.push({ label: `${field}[] array`, value: `${valid}&${field}[]=a&${field}[]=b` });
    variants.push({ label: `${field}[key] object`, value: `${valid}&${field}[key]=a` });
  }
  variants.push({ label: 'broken escapes', value: `${valid}&state=%E0%A4%A&x=%zz%` });
  variants.push({ label: 'semicolons', value: valid.replace(/&/g, ';') });
  variants.push({ label: 'only separators', value: '&&&===&&' });
  variants.push({
    label: 'thousand params',
    value: Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&'),
  });
  variants.push({ label: 'encoded NUL and CRLF', value: `${valid}&state=%00%0d%0a${INJECTED_HEADER}:%201` });
  return variants;
}

export interface HostileBody {
  label: string;
  contentType: string | undefined;
  body: string | Uint8Array<ArrayBuffer>;
}

/** Bodies for a form-taking endpoint: wrong types, broken encodings, sizes. */
export function hostileBodies(validForm: Record<string, string>): HostileBody[] {
  const form = new URLSearchParams(validForm).toString();
  const deepJson = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  return [
    { label: 'no body', contentType: undefined, body: '' },
    { label: 'empty form', contentType: 'application/x-www-form-urlencoded', body: '' },
    { label: 'form as JSON type', contentType: 'application/json', body: form },
    { label: 'JSON instead of form', contentType: 'application/json', body: JSON.stringify(validForm) },
    {
      label: 'malformed JSON',
      contentType: 'application/json',
      body: '{"grant_type": "authorization_code",',
    },
    { label: 'deeply nested JSON', contentType: 'application/json', body: deepJson },
    {
      label: 'JSON proto pollution',
      contentType: 'application/json',
      body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
    },
    { label: 'text/plain', contentType: 'text/plain', body: form },
    {
      label: 'xml',
      contentType: 'application/xml',
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    },
    {
      label: 'multipart garbage',
      contentType: 'multipart/form-data; boundary=zz',
      body: '--zz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\n',
    },
    {
      label: 'form with odd charset',
      contentType: 'application/x-www-form-urlencoded; charset=utf-7',
      body: form,
    },
    {
      label: 'form with broken escapes',
      contentType: 'application/x-www-form-urlencoded',
      body: `${form}&x=%zz%&y=%E0%A4%A`,
    },
    {
      label: 'form with repeated fields',
      contentType: 'application/x-www-form-urlencoded',
      body: `${form}&${form}`,
    },
    {
      label: 'form with arrays',
      contentType: 'application/x-www-form-urlencoded',
      body: `${form}&grant_type[]=a&client_id[x]=b`,
    },
    { label: 'form with NUL', contentType: 'application/x-www-form-urlencoded', body: `${form}&code=%00` },
    {
      label: 'binary',
      contentType: 'application/octet-stream',
      body: new Uint8Array(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256)),
    },
    {
      label: 'oversized form 1 MB',
      contentType: 'application/x-www-form-urlencoded',
      body: `${form}&pad=${'A'.repeat(1024 * 1024)}`,
    },
    {
      label: 'oversized JSON 1 MB',
      contentType: 'application/json',
      body: JSON.stringify({ ...validForm, pad: 'A'.repeat(1024 * 1024) }),
    },
  ];
}

/** Authorization header values that are not what they claim to be. */
export function hostileAuthorizations(validBearer?: string): Named<string>[] {
  const values: Named<string>[] = [
    { label: 'Bearer alone', value: 'Bearer' },
    { label: 'Bearer empty', value: 'Bearer ' },
    { label: 'Bearer two spaces', value: 'Bearer  x' },
    { label: 'Bearer garbage', value: 'Bearer !!!not-a-token!!!' },
    { label: 'Bearer oversized', value: `Bearer ${'A'.repeat(8000)}` },
    { label: 'Bearer JWT alg none', value: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    { label: 'Basic not base64', value: 'Basic !!!' },
    { label: 'Basic no colon', value: `Basic ${Buffer.from('sales').toString('base64')}` },
    { label: 'Basic empty parts', value: `Basic ${Buffer.from(':').toString('base64')}` },
    { label: 'Basic wrong secret', value: `Basic ${Buffer.from('sales:wrong').toString('base64')}` },
    { label: 'Basic unicode', value: `Basic ${Buffer.from('sаles:ژ').toString('base64')}` },
    { label: 'Basic percent garbage', value: `Basic ${Buffer.from('%zz:%E0%A4%A').toString('base64')}` },
    { label: 'Basic oversized', value: `Basic ${'A'.repeat(8000)}` },
    { label: 'DPoP garbage', value: 'DPoP x' },
    { label: 'unknown scheme', value: 'Negotiate YIIBhw==' },
    { label: 'two schemes', value: 'Bearer a, Basic b' },
    { label: 'lowercase bearer', value: 'bearer x' },
  ];
  if (validBearer) {
    values.push({ label: 'valid token, wrong scheme', value: `Basic ${validBearer}` });
    values.push({ label: 'valid token, trailing junk', value: `Bearer ${validBearer}x` });
    values.push({ label: 'valid token, truncated', value: `Bearer ${validBearer.slice(0, -2)}` });
  }
  return values;
}
