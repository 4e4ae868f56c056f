// A token pair the token endpoint has just issued, with the time its access token expires.
import type { IssuedPair } from '../model.ts'
import type { RefreshResponse } from './ports.ts'

/** Access tokens live 7 days (API.md); assumed when the server's expires_in is missing or absurd. */
const DOCUMENTED_LIFETIME_S = 604_800

export function issuedPair(response: RefreshResponse, issuedAt: number): IssuedPair {
  return {
    accessToken: response.accessToken,
    refreshToken: response.refreshToken,
    issuedAt,
    expiresAt: issuedAt + (response.expiresInSeconds ?? DOCUMENTED_LIFETIME_S) * 1000,
    scopes: response.scopes
  }
}
