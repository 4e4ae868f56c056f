// The shapes a token is copied in. Built in the main process only: the renderer never sees the result.
import type { CopyFormat } from '../../shared/contract.ts'
import type { LibraryMeta } from './model.ts'

export function formatForCopy(format: CopyFormat, token: string, meta: LibraryMeta): string {
  switch (format) {
    case 'token':
      return token
    case 'header':
      return `Authorization: Bearer ${token}`
    case 'env':
      return [
        `export APICBASE_ACCESS_TOKEN=${shellQuote(token)}`,
        `export APICBASE_API_URL=${shellQuote(meta.apiBaseUrl)}`,
        ...(meta.apicbaseLibraryId ? [`export APICBASE_LIBRARY_ID=${shellQuote(meta.apicbaseLibraryId)}`] : [])
      ].join('\n')
    case 'curl':
      return `curl -sS -H ${shellQuote(`Authorization: Bearer ${token}`)} ${shellQuote(`${meta.apiBaseUrl}/api/v2/library/recipes/`)}`
  }
}

/** Single-quotes a value for POSIX shells, so a token or URL is pasted as one word. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}
