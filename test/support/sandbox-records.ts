// A sandbox library as the vault stores it: the record and secrets Larder would hold right after adding it.
// Shared by the harness, the crash test and the chaos run so they cannot drift apart.
import { tokenPreview, type LibraryMeta, type LibrarySecrets } from '../../src/main/core/model.ts'
import type { LibraryCredentials } from '../sandbox/index.ts'

const SEVEN_DAYS_MS = 7 * 86_400_000

export function sandboxLibraryRecord(
  credentials: LibraryCredentials,
  options: { readonly id: string; readonly apiBaseUrl: string; readonly issuedAt: number; readonly lifetimeMs?: number }
): { readonly meta: LibraryMeta; readonly secrets: LibrarySecrets } {
  const { id, apiBaseUrl, issuedAt } = options
  return {
    meta: {
      id,
      name: credentials.name,
      apicbaseLibraryId: String(credentials.id),
      apicbaseLibraryName: credentials.name,
      tokenType: credentials.tokenType,
      scopes: credentials.scopes,
      apiBaseUrl,
      clientId: credentials.clientId,
      addedAt: issuedAt,
      issuedAt,
      expiresAt: issuedAt + (options.lifetimeMs ?? SEVEN_DAYS_MS),
      lastRefreshedAt: null,
      lastUsedAt: null,
      lastError: null,
      tokenState: 'active',
      tokenPreview: tokenPreview(credentials.accessToken)
    },
    secrets: { clientSecret: credentials.clientSecret, accessToken: credentials.accessToken, refreshToken: credentials.refreshToken }
  }
}
