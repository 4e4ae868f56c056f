// The team database's schema, in versions (issue 16). Each migration runs once, in its own transaction, under an
// advisory lock, so members starting together apply it once; a database whose schema is newer than this Larder knows
// is refused rather than written to. Only what coordination needs is in clear: ids, versions, epochs, leases, times.
// Everything a person named, typed or pasted is in a sealed blob (core/team/crypto/row-seal.ts).
import { InputError } from '../../errors.ts'

export interface Migration {
  readonly version: number
  readonly name: string
  /** Statements; `${schema}` is the quoted schema name. */
  sql(schema: string): string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'team, members, join requests, key wraps, credentials, audit',
    sql: (s) => `
      CREATE TABLE ${s}.team (id uuid PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        current_epoch int NOT NULL, roster_version bigint NOT NULL, roster_epoch int NOT NULL, roster bytea NOT NULL,
        rekey jsonb NULL);
      CREATE TABLE ${s}.members (id uuid PRIMARY KEY, x25519_pub bytea NOT NULL, ed25519_pub bytea NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(), last_seen timestamptz NOT NULL DEFAULT clock_timestamp(),
        removed_at timestamptz NULL);
      CREATE TABLE ${s}.join_requests (id uuid PRIMARY KEY, x25519_pub bytea NOT NULL, ed25519_pub bytea NOT NULL,
        label bytea NOT NULL, mac bytea NOT NULL, attempts int NOT NULL DEFAULT 0, expires_at timestamptz NOT NULL,
        approval bytea NULL);
      CREATE TABLE ${s}.key_wraps (member_id uuid NOT NULL, epoch int NOT NULL, wrapped bytea NOT NULL,
        PRIMARY KEY (member_id, epoch));
      CREATE TABLE ${s}.credentials (id uuid PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('library', 'entry')),
        version bigint NOT NULL, pair_version bigint NOT NULL, key_epoch int NOT NULL, sealed bytea NOT NULL,
        deleted boolean NOT NULL DEFAULT false, next_refresh_at timestamptz NULL,
        lease_holder uuid NULL, lease_fence bigint NOT NULL DEFAULT 0, lease_until timestamptz NULL,
        awaiting_by uuid NULL, awaiting_fence bigint NULL, awaiting_since timestamptz NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE INDEX credentials_changed_at ON ${s}.credentials (changed_at);
      CREATE TABLE ${s}.audit (seq bigserial PRIMARY KEY, entry_id uuid UNIQUE NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(), member_id uuid NOT NULL, action text NOT NULL,
        outcome text NOT NULL, credential_id uuid NULL, key_epoch int NOT NULL, sealed bytea NOT NULL, sig bytea NOT NULL);
      CREATE INDEX audit_member ON ${s}.audit (member_id, seq);`
  },
  {
    version: 2,
    name: 'a team ended: its credentials taken home to one member',
    // Read through to_jsonb(team) by members (team-membership.ts), so a vault opened before this ran still reads it.
    sql: (s) => `ALTER TABLE ${s}.team ADD COLUMN ended_at timestamptz NULL, ADD COLUMN ended_by uuid NULL;`
  }
]

/** The newest schema this Larder knows. */
export const LATEST_SCHEMA = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0)

/** A schema name Larder will use: plain lower-case letters, digits and underscores, quoted wherever it is written. */
export function schemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new InputError('teamSchema', `"${name}" cannot be a schema name for the team: use lower-case letters, digits and underscores (e.g. larder).`)
  return `"${name}"`
}

/** The team database was set up by a newer Larder: this one reads nothing from it and writes nothing to it. */
export class TeamSchemaTooNewError extends Error {
  override readonly name = 'TeamSchemaTooNewError'
  readonly found: number
  constructor(found: number) {
    super(`The team database was upgraded by a newer Larder (schema ${found}; this Larder knows up to ${LATEST_SCHEMA}). Update Larder to use the team again; nothing was written.`)
    this.found = found
  }
}
