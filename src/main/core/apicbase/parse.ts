// Tolerant reading of what Apicbase sends: a body is classified (JSON, HTML page, other text,
// truncated JSON) before anything trusts it, and fields are narrowed from `unknown` one by one.

export type Body =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'empty' }
  | { readonly kind: 'html' }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'not_json'; readonly contentType: string }

const TEN_YEARS_SECONDS = 10 * 366 * 86_400

export function classifyBody(bytes: Buffer, contentType: string): Body {
  const decoded = bytes.toString('utf8')
  const text = (decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded).trim()
  if (text === '') return { kind: 'empty' }
  const semicolon = contentType.indexOf(';')
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
  if (type === 'text/html' || type === 'application/xhtml+xml' || (text.charCodeAt(0) === 0x3c && /^<(!doctype|html|head|body)\b/i.test(text))) {
    return { kind: 'html' }
  }
  try {
    return { kind: 'json', value: JSON.parse(text) }
  } catch {
    // A JSON start that never closes is an answer cut off mid-way, not a different format.
    const looksJson = type.endsWith('json') || text.startsWith('{') || text.startsWith('[')
    return looksJson ? { kind: 'truncated' } : { kind: 'not_json', contentType: type === '' ? 'no content type' : type }
  }
}

/** How a non-JSON body is described in a message: "an HTML page instead of JSON (HTTP 502)". */
export function describeBody(body: Body, status: number): string {
  switch (body.kind) {
    case 'html':
      return `an HTML page instead of JSON (HTTP ${status})`
    case 'truncated':
      return `incomplete JSON, cut off mid-way (HTTP ${status})`
    case 'not_json':
      return `a response that is not JSON (HTTP ${status}, ${body.contentType})`
    case 'empty':
      return `an empty response (HTTP ${status})`
    case 'json':
      return `JSON of an unexpected shape (HTTP ${status})`
  }
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

export function stringField(record: Record<string, unknown> | null, key: string): string | null {
  const value = record?.[key]
  return typeof value === 'string' ? value : null
}

/** Non-empty text without whitespace: the only thing worth storing as a token. */
export function tokenField(record: Record<string, unknown> | null, key: string): string | null {
  const value = stringField(record, key)
  return value !== null && value !== '' && !/[\s\p{Cc}]/u.test(value) ? value : null
}

/** A positive whole number of seconds up to ten years; null for anything absurd (missing, 0, NaN, 1e12, "soon"). */
export function expiresInSeconds(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n > 0 && n <= TEN_YEARS_SECONDS ? n : null
}

/** OAuth's space-separated `scope`, or an array of strings; [] when absent or unreadable. */
export function scopeList(value: unknown): string[] {
  const words = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : []
  const scopes: string[] = []
  for (const word of words) {
    if (typeof word === 'string' && word !== '' && !scopes.includes(word)) scopes.push(word)
  }
  return scopes
}

/** An id that is a finite integer or non-empty text, as a string; null otherwise. */
export function idString(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null
  if (typeof value === 'string') {
    const text = value.trim()
    return text !== '' && text.length <= 200 ? text : null
  }
  return null
}

/** The `detail` an API error body carries (`{"detail": "…"}`), if any. OAuth free text is never read. */
export function apiDetail(body: Body): string | null {
  if (body.kind !== 'json') return null
  const text = stringField(asRecord(body.value), 'detail')
  return text !== null && text.trim() !== '' ? text : null
}
