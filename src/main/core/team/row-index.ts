// Which version of each team row this member's local vault holds (issue 16, step 5), in a small file beside the vault
// (`<vault>.team-rows`): the row's version (sync reads only newer ones), its pair version (a row whose pair version
// goes down is the database rolled back, refused) and the newest `changed_at` taken in (where the next catch-up
// starts). Nothing in it is secret: the database holds the same numbers in clear. It is written after the vault, so a
// crash between the two leaves it behind the vault, which only means a row is read and taken in again.
import fs from 'node:fs'
import { writeFileAtomic } from '../vault/durable-fs.ts'

export interface KnownRow {
  readonly version: number
  readonly pairVersion: number
  readonly deleted: boolean
}

interface IndexFile {
  readonly format: 'larder-team-rows'
  readonly teamId: string
  readonly since: number | null
  readonly rows: Readonly<Record<string, readonly [number, number, 0 | 1]>>
}

const FORMAT = 'larder-team-rows'
/** Writes within this long share one (the file is not what keeps anything safe: the vault is). */
const WRITE_DELAY_MS = 50

export function rowIndexPath(vaultPath: string): string {
  return `${vaultPath}.team-rows`
}

export class RowIndex {
  readonly #path: string
  readonly #teamId: string
  readonly #rows = new Map<string, KnownRow>()
  #since: number | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #forgotten = false

  /** Reads the file; one of another team, or unreadable, counts as empty (every row is then read again). */
  constructor(vaultPath: string, teamId: string) {
    this.#path = rowIndexPath(vaultPath)
    this.#teamId = teamId
    let stored: IndexFile | null = null
    try {
      stored = JSON.parse(fs.readFileSync(this.#path, 'utf8')) as IndexFile
    } catch {
      stored = null
    }
    if (stored?.format !== FORMAT || stored.teamId !== teamId || typeof stored.rows !== 'object' || stored.rows === null) return
    this.#since = typeof stored.since === 'number' ? stored.since : null
    for (const [id, entry] of Object.entries(stored.rows)) {
      if (Array.isArray(entry) && typeof entry[0] === 'number' && typeof entry[1] === 'number') this.#rows.set(id, { version: entry[0], pairVersion: entry[1], deleted: entry[2] === 1 })
    }
  }

  get(id: string): KnownRow | undefined {
    return this.#rows.get(id)
  }

  /** The live rows this vault holds (tombstones left out). */
  liveIds(): string[] {
    return [...this.#rows].filter(([, row]) => !row.deleted).map(([id]) => id)
  }

  /** This vault left the team: nothing more is written, and the file goes. */
  forget(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#forgotten = true
    fs.rmSync(this.#path, { force: true })
  }

  get since(): number | null {
    return this.#since
  }

  set(id: string, row: KnownRow): void {
    this.#rows.set(id, row)
    this.#writeSoon()
  }

  setSince(since: number | null): void {
    if (since === this.#since) return
    this.#since = since
    this.#writeSoon()
  }

  /** Writes now what is pending. */
  flush(): void {
    if (this.#timer === null || this.#forgotten) return
    clearTimeout(this.#timer)
    this.#timer = null
    this.#write()
  }

  #writeSoon(): void {
    if (this.#timer !== null || this.#forgotten) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#write()
    }, WRITE_DELAY_MS)
  }

  #write(): void {
    const rows: Record<string, readonly [number, number, 0 | 1]> = {}
    for (const [id, row] of this.#rows) rows[id] = [row.version, row.pairVersion, row.deleted ? 1 : 0]
    const file: IndexFile = { format: FORMAT, teamId: this.#teamId, since: this.#since, rows }
    try {
      writeFileAtomic(this.#path, JSON.stringify(file))
    } catch {
      // Only a cost: rows are read and taken in again at the next start.
    }
  }
}
