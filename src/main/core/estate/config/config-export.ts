// The configuration without secrets: what Larder holds, named, for a colleague who will get their own tokens from the
// owners, or for a review. Built field by field from an allow-list (never by copying a record and deleting what is
// secret), so a field added to a record later cannot slip in; no token, client secret, client ID or preview.
//
// { format: 'larder-config', version: 1, exportedAt,
//   libraries: [{ name, apicbaseLibraryId, apiBaseUrl, tokenType, customer? }],
//   keys: [{ name, system, customer, details }] }   // details: the system's non-secret fields (addresses, scopes noted…)
import { randomBytes } from 'node:crypto'
import { replaceFileDurably } from '../../vault/durable-async.ts'
import type { KeyMeta } from '../../keys/key-model.ts'
import type { TokenType } from '../../model.ts'
import type { Vault } from '../../vault/index.ts'

export const CONFIG_FORMAT = 'larder-config'
export const CONFIG_VERSION = 1

export interface ConfigLibrary {
  readonly name: string
  readonly apicbaseLibraryId: string | null
  readonly apiBaseUrl: string
  readonly tokenType: TokenType
  readonly customer?: string
}

export interface ConfigKey {
  readonly name: string
  readonly system: KeyMeta['system']
  readonly customer: string | null
  readonly details: Readonly<Record<string, unknown>>
}

export interface ConfigDocument {
  readonly format: typeof CONFIG_FORMAT
  readonly version: typeof CONFIG_VERSION
  readonly exportedAt: number
  readonly libraries: readonly ConfigLibrary[]
  readonly keys: readonly ConfigKey[]
}

export function configDocument(vault: Pick<Vault, 'list' | 'get' | 'entries' | 'keys'>, now: number): ConfigDocument {
  const libraries: ConfigLibrary[] = vault.list().map((meta) => library(meta.name, meta.apicbaseLibraryId, meta.apiBaseUrl, meta.tokenType, meta.customer))
  for (const entry of vault.entries()) {
    const connection = vault.get(entry.connectionId)
    if (connection) libraries.push(library(entry.name, entry.apicbaseLibraryId, connection.apiBaseUrl, connection.tokenType, entry.customer))
  }
  libraries.sort((a, b) => a.name.localeCompare(b.name))
  const keys = vault
    .keys()
    .map((meta): ConfigKey => ({ name: meta.name, system: meta.system, customer: meta.customer, details: plainDetails(meta.details) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return { format: CONFIG_FORMAT, version: CONFIG_VERSION, exportedAt: now, libraries, keys }
}

/** Writes the configuration as readable JSON (atomic and durable; private to this user like every file Larder writes). */
export async function writeConfigFile(file: string, document: ConfigDocument): Promise<{ readonly bytes: number }> {
  const text = `${JSON.stringify(document, null, 2)}\n`
  await replaceFileDurably(file, `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`, text)
  return { bytes: Buffer.byteLength(text) }
}

function library(name: string, apicbaseLibraryId: string | null, apiBaseUrl: string, tokenType: TokenType, customer: string | undefined): ConfigLibrary {
  return { name, apicbaseLibraryId, apiBaseUrl, tokenType, ...(customer === undefined ? {} : { customer }) }
}

/** A key's details are its system's non-secret fields (key-details.ts); a deep copy, so nothing of the record is shared. */
function plainDetails(details: KeyMeta['details']): Readonly<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(details)) as Record<string, unknown>
}
