// What each copy format of a key puts on the clipboard, with its token masked, for the pane to show beside each button:
// the header its system carries it in (Bearer, or the header an admin named), its system's variable names, a curl
// line to its read-only address. Mirrors the main side's key-text.ts (the token aside). Pure, no secret.
import type { CopyFormat, KeyView } from '../../../shared/contract.ts'
import { shellQuote } from '../../../shared/copy-formats.ts'

export interface KeyCopyChoice {
  readonly format: CopyFormat
  readonly label: string
  readonly use: string
}

export const KEY_COPY_CHOICES: readonly KeyCopyChoice[] = [
  { format: 'token', label: 'Copy token', use: 'the token alone, for a script' },
  { format: 'header', label: 'Copy header', use: 'the request header it goes in' },
  { format: 'env', label: 'Copy env', use: 'its variables for a shell' },
  { format: 'curl', label: 'Copy curl', use: 'a command that calls its check' }
]

export function keyHeaderLine(key: KeyView, token: string): string {
  if (key.system === 'service_token' && key.details.carry.kind === 'header') return `${key.details.carry.name}: ${token}`
  return `Authorization: Bearer ${token}`
}

/** The variables `larder exec` and the env format use for a key, its token masked. */
export function keyVariables(key: KeyView, token: string): readonly (readonly [string, string])[] {
  switch (key.system) {
    case 'safetyculture':
      return [
        ['SAFETYCULTURE_API_TOKEN', token],
        ['SAFETYCULTURE_API_URL', key.details.apiBaseUrl]
      ]
    case 'airtable':
      return [
        ['AIRTABLE_API_KEY', token],
        ['AIRTABLE_API_URL', key.details.apiBaseUrl]
      ]
    case 'service_token':
      return [[key.details.envName, token]]
  }
}

/** Whether the key has an address a curl line can call (a service token without a check URL has none). */
export function hasReadAddress(key: KeyView): boolean {
  return key.system !== 'service_token' || key.details.checkUrl !== null
}

/** The read-only address the curl format calls: its system's identity check (seeds 002 and 004), or the admin's check URL. */
export function readAddress(key: KeyView): string {
  switch (key.system) {
    case 'safetyculture':
      return new URL('/accounts/user/v1/user:WhoAmI', key.details.apiBaseUrl).href
    case 'airtable':
      return new URL('/v0/meta/whoami', key.details.apiBaseUrl).href
    case 'service_token':
      return key.details.checkUrl ?? ''
  }
}

/** The format's text with the token masked ("…a91f"); null for a format the key cannot be copied in. */
export function maskedKeyCopyText(key: KeyView, format: CopyFormat): string | null {
  const token = key.tokenPreview
  switch (format) {
    case 'token':
      return token
    case 'header':
      return keyHeaderLine(key, token)
    case 'env':
      return keyVariables(key, token)
        .map(([name, value]) => `export ${name}=${value === token ? value : shellQuote(value)}`)
        .join('\n')
    case 'curl': {
      if (!hasReadAddress(key)) return null
      return `curl -sS -H '${keyHeaderLine(key, token)}' ${shellQuote(readAddress(key))}`
    }
  }
}
