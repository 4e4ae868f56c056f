// PKCE (RFC 7636) for the authorization-code flow: a fresh secret verifier per authorization, and its S256 challenge
// in the authorize address. Apicbase (django-oauth-toolkit) then redeems the code only for the one who holds the
// verifier, so a code that leaks from the browser (history, a logged redirect, another app on the loopback port)
// is worth nothing on its own.
import { createHash, randomBytes } from 'node:crypto'

/** 32 random bytes in base64url: 43 characters of the unreserved set, RFC 7636 4.1's recommended form. */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url')
}

/** code_challenge for code_challenge_method=S256: BASE64URL(SHA256(ASCII(verifier))), no padding. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}
