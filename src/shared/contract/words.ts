// The words Larder's parts share, declared once, as plain lists: token types, statuses, copy formats, audit actions,
// failure kinds. No schema library here, so the renderer can take them without bundling zod; vocabulary.ts builds
// the schemas from these.

export const TOKEN_TYPES = ['service_account', 'connected_application', 'personal'] as const
export const LIBRARY_STATUSES = ['healthy', 'expiring_soon', 'expired', 'refreshing', 'needs_reauth', 'error', 'revoked', 'moved'] as const
export const COPY_FORMATS = ['token', 'header', 'env', 'curl'] as const
export const AUDIT_ACTIONS = [
  'added',
  'refreshed',
  'copied',
  'exported',
  'switched',
  'removed',
  'failed',
  'revoked',
  'restored',
  'unlocked',
  'settings_changed',
  'authorization_started',
  'authorized',
  'drift_seen',
  // The `larder` command: a token handed to a terminal, and a terminal session allowed, refused, revoked or ended
  // (idle for its time, or 12 hours after it was allowed).
  'handed_out',
  'session_allowed',
  'session_refused',
  'session_revoked',
  'session_ended',
  // A bulk import (issue 17): one entry per row imported ("imported from FILE") and one summary of the file.
  'imported',
  // The app lock (issue 17): locked (and why); its unlocks and wrong passphrases are 'unlocked' entries.
  'locked'
] as const
export const AUDIT_OUTCOMES = ['ok', 'error'] as const
/**
 * What a library's health check (one cheap read its token's scopes allow) found: the read worked; the token was refused
 * (401, even after a refresh); a scope or permission is missing (403); no usable answer (unreachable, or a 5xx);
 * Apicbase refused the request for another reason.
 */
export const HEALTH_OUTCOMES = ['ok', 'unauthorized', 'forbidden', 'unreachable', 'rejected'] as const
/** The closed set of failures a person can act on (the core's errors.ts words each one). */
export const FAILURE_KINDS = [
  'invalid_grant',
  'invalid_client',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'server_error',
  'network',
  'timeout',
  'malformed_response',
  'invalid_request',
  'storage',
  // A record was changed outside Larder (the vault's files were edited): nothing is sent for it.
  'tampered',
  // A team credential could not be refreshed because this machine cannot reach the team database (issue 16); never
  // written to a record, only answered to a caller.
  'team_offline'
] as const

/** The token systems Larder knows (src/main/core/systems): Apicbase's refreshed pairs, and keys kept as given. */
export const SYSTEM_IDS = ['apicbase', 'safetyculture', 'airtable', 'service_token'] as const
/** A key of a system kept as given can also be 'inactive': unused for as long as its system allows (SafetyCulture). */
export const KEY_STATUSES = ['healthy', 'expiring_soon', 'inactive', 'expired', 'needs_reauth', 'error', 'revoked'] as const
/** Where a key of a system kept as given stands, as a person or its admin said (core/keys/key-model.ts). */
export const KEY_STATES = ['active', 'revoked', 'expired', 'deleted'] as const
/** What happened to a key, kept with its date (its history). */
export const KEY_HISTORY_EVENTS = ['added', 'regenerated', 'revoked', 'restored', 'expired', 'deleted', 'used_elsewhere', 'expiry_changed', 'details_changed'] as const
/** What a key's last check found. */
export const KEY_CHECK_OUTCOMES = ['ok', 'refused', 'forbidden', 'rate_limited', 'unreachable'] as const
/** What its admin did to a key, as a person records it in Larder. */
export const KEY_LIFECYCLE_EVENTS = ['revoked', 'restored', 'deleted', 'expired'] as const
/** What a person may do with a key now: copy (only while usable) and its system's actions that fit its state. */
export const KEY_VIEW_ACTIONS = ['copy', 'check', 'regenerate', 'revoke', 'restore', 'delete', 'keep_alive', 'mark_used', 'set_expiry'] as const
