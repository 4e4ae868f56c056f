// The Apicbase client's public surface.
export { createApicbaseClient } from './client.ts'
export type { ApicbaseClient, ApicbaseClientOptions } from './client.ts'
export { apiBaseUrlProblem, LOOPBACK_HOSTS, normalizeApiBaseUrl } from './base-url.ts'
export { apiHostOf, checkDefaultApiBaseUrlChange, classifyApiBaseUrl, requireTrustedApiHost } from './api-host.ts'
export type { ApiHost, ApiHostKind } from './api-host.ts'
// The request and answer types (targets, credentials, token responses, libraries, health, rate limits).
export type * from './types.ts'
