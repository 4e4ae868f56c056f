// No secret in clear where the team run leaves its traces: every table of the team's schema (each value as text, bytea
// also as its raw bytes), the server's data folder (heap, WAL, log) and every member's folder. The index holds the
// fingerprints of every token and client secret the sandbox issued in the run (secret-scan.ts), never the secrets.
import fs from 'node:fs'
import path from 'node:path'
import type { TeamDb } from '../../../src/main/core/team/db/transaction.ts'
import type { SecretIndex } from '../secret-scan.ts'

export interface ScanFigures {
  readonly tables: number
  readonly rows: number
  readonly files: number
  readonly bytes: number
  /** Secrets found, and where (table or file names only). */
  readonly found: number
  readonly where: readonly string[]
}

function textsOf(value: unknown): string[] {
  if (value === null || value === undefined) return []
  if (Buffer.isBuffer(value)) return [value.toString('latin1'), value.toString('hex')]
  if (typeof value === 'object') return [JSON.stringify(value)]
  return [String(value)]
}

/** Every row of every table in the team's schema (read with the test's own pool). */
export async function scanTables(db: TeamDb, schema: string, index: SecretIndex): Promise<Pick<ScanFigures, 'tables' | 'rows' | 'found' | 'where'>> {
  const { rows: tables } = await db.pool.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])
  let rows = 0
  let found = 0
  const where: string[] = []
  for (const { table_name: table } of tables) {
    const result = await db.pool.query<Record<string, unknown>>(`SELECT * FROM ${db.schema}."${table.replaceAll('"', '""')}"`)
    for (const row of result.rows) {
      rows++
      const hits = index.findIn(Object.values(row).flatMap(textsOf).join('\n')).size
      if (hits > 0) {
        found += hits
        where.push(`table ${table}`)
      }
    }
  }
  return { tables: tables.length, rows, found, where }
}

/** Every file under these folders, read as bytes (latin1 keeps every byte one character). */
export function scanFolders(dirs: readonly string[], index: SecretIndex): Pick<ScanFigures, 'files' | 'bytes' | 'found' | 'where'> {
  let files = 0
  let bytes = 0
  let found = 0
  const where: string[] = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) {
        const content = fs.readFileSync(full)
        files++
        bytes += content.length
        const hits = index.findIn(content.toString('latin1')).size
        if (hits > 0) {
          found += hits
          where.push(full)
        }
      }
    }
  }
  for (const dir of dirs) if (fs.existsSync(dir)) walk(dir)
  return { files, bytes, found, where }
}
