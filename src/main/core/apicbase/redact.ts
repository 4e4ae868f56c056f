// Server-provided text (an API answer's `detail`) may end up in a message a person reads, in a library's lastError
// and in the audit trail, so it is cleaned first. Removing each secret only where it appears whole is not enough: a
// server may echo a prefix, an upper-cased copy, or base64 of "client_id:client_secret". So every run of
// RUN_LENGTH or more characters that occurs, in any case, in any form of a secret the request carried is removed.
// The token endpoint's free text is never quoted at all (http-errors.ts); this guards the rest.

const MAX_SERVER_TEXT = 200
const REDACTED = '[redacted]'
/** A run this long copied from a secret is treated as part of it; shorter runs are ordinary words. */
export const RUN_LENGTH = 8

/** Lower-cases one character at a time, keeping any whose lower case is longer, so positions stay the same. */
function foldCase(text: string): string {
  let folded = ''
  for (const char of text) {
    const lower = char.toLowerCase()
    folded += lower.length === char.length ? lower : char
  }
  return folded
}

/** The spellings a secret may come back in: as sent, URL- or form-encoded, and base64 (standard and URL-safe). */
function spellingsOf(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64')
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url')
  ]
}

/** Every RUN_LENGTH-long window of every spelling, case-folded: a run of text is secret when its windows are here. */
function secretWindows(secrets: readonly string[]): Set<string> {
  const windows = new Set<string>()
  for (const secret of secrets) {
    for (const spelling of spellingsOf(secret)) {
      const folded = foldCase(spelling)
      for (let i = 0; i + RUN_LENGTH <= folded.length; i++) windows.add(folded.slice(i, i + RUN_LENGTH))
    }
  }
  return windows
}

/** Replaces every run of RUN_LENGTH+ characters found (case-insensitively) in a spelling of a secret. */
export function removeSecretRuns(text: string, secrets: readonly string[]): string {
  const windows = secretWindows(secrets.filter((secret) => secret.length > 0))
  if (windows.size === 0 || text.length < RUN_LENGTH) return text
  const folded = foldCase(text)
  const secret = new Uint8Array(text.length)
  for (let i = 0; i + RUN_LENGTH <= folded.length; i++) {
    if (windows.has(folded.slice(i, i + RUN_LENGTH))) secret.fill(1, i, i + RUN_LENGTH)
  }
  let cleaned = ''
  for (let i = 0; i < text.length; ) {
    if (secret[i] === 1) {
      while (i < text.length && secret[i] === 1) i++
      cleaned += REDACTED
    } else cleaned += text[i++]
  }
  return cleaned
}

/** Collapses whitespace and control characters, removes every secret run, and truncates to 200 chars. */
export function cleanServerText(raw: string, secrets: readonly string[]): string {
  const text = removeSecretRuns(raw.replace(/[\s\p{Cc}]+/gu, ' ').trim(), secrets)
  // Redaction happens before truncation, so a cut can never leave half a secret behind.
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 1)}…` : text
}

/** ` Apicbase said: "…".` or '' when there is nothing worth quoting. */
export function serverSaid(raw: string | null, secrets: readonly string[]): string {
  if (raw === null) return ''
  const text = cleanServerText(raw, secrets)
  return text === '' ? '' : ` Apicbase said: "${text}"`
}
