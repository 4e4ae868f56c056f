// Server-provided text (error_description, detail) may end up in a message a person reads and in
// the audit trail, so it is cleaned first: every secret sent in that request removed, then cut short.

const MAX_SERVER_TEXT = 200
const REDACTED = '[redacted]'

/** Removes each secret, collapses whitespace and control characters, and truncates to 200 chars. */
export function cleanServerText(raw: string, secrets: readonly string[]): string {
  let text = raw
  // Longest first, so a secret that contains another is removed whole.
  // Also the form-encoded spellings, in case the server echoes what it parsed from the request body.
  const variants = secrets.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)])
  for (const secret of [...new Set(variants)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    text = text.split(secret).join(REDACTED)
  }
  text = text.replace(/[\s\p{Cc}]+/gu, ' ').trim()
  // Redaction happens before truncation, so a cut can never leave half a secret behind.
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 1)}…` : text
}

/** ` Apicbase said: "…".` or '' when there is nothing worth quoting. */
export function serverSaid(raw: string | null, secrets: readonly string[]): string {
  if (raw === null) return ''
  const text = cleanServerText(raw, secrets)
  return text === '' ? '' : ` Apicbase said: "${text}"`
}
