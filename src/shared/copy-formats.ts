// What each copy format puts on the clipboard, as one pure template per format. Main fills in the real token (and
// hands the result to the clipboard); the dashboard shows the same text with the token masked beside each Copy
// button, so what a person is told and what lands on the clipboard cannot drift apart. No secret here.
import type { COPY_FORMATS } from './contract/words.ts'

export type CopyFormatName = (typeof COPY_FORMATS)[number]

/** Where the copied token is meant to go: the fields of a library the env and curl formats name. */
export interface CopyTarget {
  readonly apiBaseUrl: string
  readonly apicbaseLibraryId: string | null
}

/** The path the curl format reads: Apicbase's recipes, one read every library token may make. */
export const CURL_PATH = '/api/v2/library/recipes/'

export function copyText(format: CopyFormatName, token: string, target: CopyTarget): string {
  switch (format) {
    case 'token':
      return token
    case 'header':
      return `Authorization: Bearer ${token}`
    case 'env':
      return exportLines({
        APICBASE_ACCESS_TOKEN: token,
        APICBASE_API_URL: target.apiBaseUrl,
        ...(target.apicbaseLibraryId ? { APICBASE_LIBRARY_ID: target.apicbaseLibraryId } : {})
      })
    case 'curl':
      return `curl -sS -H ${shellQuote(`Authorization: Bearer ${token}`)} ${shellQuote(`${target.apiBaseUrl}${CURL_PATH}`)}`
  }
}

/** `export NAME=value` lines for an environment, in the order given, each value quoted for a shell. */
export function exportLines(environment: Readonly<Record<string, string>>): string {
  return Object.entries(environment)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n')
}

/** Single-quotes a value for POSIX shells, so a token or URL is pasted as one word. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * Built with letters only, so the preview is quoted as a real token is (Apicbase's tokens need no shell quotes);
 * the masked preview ("…a91f") then takes its place.
 */
const STAND_IN = 'LarderTokenStandIn'

/** The format's text with the token masked, for the dashboard: "Authorization: Bearer …a91f". */
export function maskedCopyText(format: CopyFormatName, tokenPreview: string, target: CopyTarget): string {
  return copyText(format, STAND_IN, target).replaceAll(STAND_IN, tokenPreview)
}
