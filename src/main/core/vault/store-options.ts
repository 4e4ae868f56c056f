// The options every host gives the JSON store the vault writes through: electron-store in the desktop app, conf (which
// electron-store passes them on to) in the browser host, the chaos run and the benchmarks. One definition, so what the
// tests and the chaos run exercise is what the app writes, and the format declared below is true of each of them.
import type { WholeFileFormat } from './vault-types.ts'

/** Owner-only, reapplied on every write. */
export const VAULT_FILE_MODE = 0o600

export const VAULT_STORE_OPTIONS = Object.freeze({
  configFileMode: VAULT_FILE_MODE,
  // Never wipe a file it cannot parse: the vault decides what to do with a damaged file (and keeps it).
  clearInvalidConfig: false,
  // Library ids and settings keys are data, not paths.
  accessPropertiesByDotNotation: false,
  // The vault notices outside changes itself (it compares the file before each write); conf's watcher is not used.
  watch: false,
  // Compact JSON: a whole-vault write of 10,000 libraries pretty-printed costs time and bytes.
  serialize: (value: Record<string, unknown>): string => JSON.stringify(value),
  // conf re-reads the whole file before every write only to carry its own migration bookkeeping, which Larder does
  // not use. The vault reads the file itself and only ever writes through the store, so reads here skip the parse.
  deserialize: (text: string): Record<string, unknown> => (text.includes('"__internal__"') ? (JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>) : {})
})

/**
 * What a store with these options writes, exactly (compact JSON, owner-only, conf's atomic write), so the vault can
 * make its compactions itself on a worker thread. A bundled app adds the worker's script (`worker`).
 */
export const VAULT_STORE_FORMAT: WholeFileFormat = Object.freeze({ indent: '', mode: VAULT_FILE_MODE })
