import type { LibraryStatus, LibraryView, TokenType } from '../../../src/shared/contract.ts'

export const NOW = Date.UTC(2026, 10, 25, 9, 0, 0)
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

let next = 0

export function library(overrides: Partial<LibraryView> & { readonly status?: LibraryStatus; readonly tokenType?: TokenType } = {}): LibraryView {
  next += 1
  return {
    id: `lib-${next}`,
    name: `Library ${next}`,
    apicbaseLibraryId: String(1000 + next),
    apicbaseLibraryName: `Apicbase ${next}`,
    tokenType: 'service_account',
    scopes: ['library', 'accounts'],
    apiBaseUrl: 'https://api.apicbase.com',
    apiHost: 'api.apicbase.com',
    apiHostKind: 'apicbase',
    clientId: `client-${next}`,
    addedAt: NOW - 10 * DAY,
    issuedAt: NOW - DAY,
    expiresAt: NOW + 6 * DAY,
    lastRefreshedAt: NOW - DAY,
    lastUsedAt: null,
    lastError: null,
    tokenPreview: '…a91f',
    status: 'healthy',
    ...overrides
  }
}
