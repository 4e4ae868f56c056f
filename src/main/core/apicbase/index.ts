// The Apicbase client's public surface.
export { createApicbaseClient, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUTS } from './client.ts'
export type { ApicbaseClient, ApicbaseClientOptions } from './client.ts'
export { apiBaseUrlProblem, LOOPBACK_HOSTS, normalizeApiBaseUrl } from './base-url.ts'
export type {
  ApiTarget,
  ApicbaseLibrary,
  ClientCredentials,
  HealthReport,
  Introspection,
  RateLimitSnapshot,
  TokenResponse
} from './types.ts'
