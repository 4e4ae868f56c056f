// Schema versions of the vault file. A migration turns the parsed file of one version into the next; they
// run in memory, and the vault writes the result once (after backing up the original).
import { InputError } from '../errors.ts'
import { MIGRATE_V1_TO_V2 } from './migrate-v1-v2.ts'
import { MIGRATE_V2_TO_V3 } from './migrate-v2-v3.ts'
import { MIGRATE_V3_TO_V4 } from './migrate-v3-v4.ts'
import { MIGRATE_V4_TO_V5 } from './migrate-v4-v5.ts'

/**
 * 1: the first. 2: personal entries (libraries reached through a personal token; see migrate-v1-v2.ts).
 * 3: a journal of changes beside the file (see migrate-v2-v3.ts and journal.ts).
 * 4: each secret sealed with the record fields that decide where and how it is sent (see migrate-v3-v4.ts).
 * 5: keys of other systems, sealed and bound like library secrets (see migrate-v4-v5.ts).
 */
export const SCHEMA_VERSION = 5

/** From this version on every secret is bound to its record; an older file's are sealed again at open. */
export const BOUND_SEALS_VERSION = 4

export interface Migration {
  readonly from: number
  readonly to: number
  /** Gets a private copy of the parsed file; returns the file of version `to` (schemaVersion is set for it). */
  migrate(data: Record<string, unknown>): Record<string, unknown>
}

/** This build's steps, oldest first. A step is never changed once released: a new version adds a step. */
export const MIGRATIONS: readonly Migration[] = [MIGRATE_V1_TO_V2, MIGRATE_V2_TO_V3, MIGRATE_V3_TO_V4, MIGRATE_V4_TO_V5]

export function checkMigrations(value: unknown, current: number = SCHEMA_VERSION): readonly Migration[] {
  if (!Array.isArray(value)) throw new InputError('migrations', 'migrations must be a list')
  value.forEach((step: unknown, index) => {
    const field = `migrations[${index}]`
    if (typeof step !== 'object' || step === null) throw new InputError(field, `${field} must be an object`)
    const { from, to, migrate } = step as Record<string, unknown>
    if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) throw new InputError(`${field}.from`, `${field}.from must be a whole number ≥ 0`)
    if (typeof to !== 'number' || !Number.isInteger(to) || to <= from || to > current) {
      throw new InputError(`${field}.to`, `${field}.to must be a whole number above from and at most ${current}`)
    }
    if (typeof migrate !== 'function') throw new InputError(`${field}.migrate`, `${field}.migrate must be a function`)
  })
  return value as readonly Migration[]
}

export class MigrationGap extends Error {
  override readonly name = 'MigrationGap'
}

/** Runs the steps from `version` up to `target`; throws MigrationGap when a step is missing or fails. */
export function migrate(
  data: Record<string, unknown>,
  version: number,
  migrations: readonly Migration[],
  target: number = SCHEMA_VERSION
): Record<string, unknown> {
  let current = structuredClone(data)
  let at = version
  while (at < target) {
    const step = migrations.find((m) => m.from === at)
    if (!step) throw new MigrationGap(`this build has no migration from schema version ${at}`)
    let next: unknown
    try {
      next = step.migrate(current)
    } catch (error) {
      throw new MigrationGap(`the migration from schema version ${step.from} to ${step.to} failed: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new MigrationGap(`the migration from schema version ${step.from} to ${step.to} did not return an object`)
    }
    current = { ...(next as Record<string, unknown>), schemaVersion: step.to }
    at = step.to
  }
  return current
}
