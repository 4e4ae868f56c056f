// The copies Larder keeps beside the vault file, what they hold, and how a removed library is taken out of them.
//   <vault>.bak                          the last copy that opened cleanly (backups.ts)
//   <vault>.v<N>.bak, <vault>.v<N>-<t>.bak  the file as it was before a migration from schema N
//   <vault>.damaged-<t>                  a vault file that would not open, moved aside (also when a backup replaced it)
//   <vault>.journal.damaged-<t>          a journal with a damaged line, kept as it was when a backup was restored
//   <vault>.journal.superseded-<t>       a journal of another generation, kept after its live records were taken
//   <vault>.journal.orphaned-<t>         a journal found without its vault file
// How long each is kept is retention.ts's say. Each holds sealed secrets, so "remove library" (and "remove key") takes
// the record out of every one (scrubCopy): a copy that reads is rewritten without its record and the entries using its
// token, which keeps everything else in it as it was; in a part that does not read, each sealed value of it is blanked.
import fs from 'node:fs'
import path from 'node:path'
import type { Cipher } from './cipher.ts'
import { readFileOrNull, writeFileAtomic } from './durable-fs.ts'
import { peekKeyId } from './key-sealing.ts'
import { peekSecret } from './sealing.ts'

export type CopyKind = 'backup' | 'version' | 'damaged' | 'superseded' | 'orphaned'

export interface ManagedCopy {
  readonly path: string
  readonly kind: CopyKind
  /** When it was made (its modification time: scrubbing keeps it). */
  readonly madeAt: number
}

const STAMP = '[0-9TZ-]+'
const KINDS: readonly (readonly [RegExp, CopyKind])[] = [
  [/^\.bak$/, 'backup'],
  [new RegExp(`^\\.v\\d+(-${STAMP})?\\.bak$`), 'version'],
  [new RegExp(`^(\\.journal)?\\.damaged-${STAMP}$`), 'damaged'],
  [new RegExp(`^\\.journal\\.superseded-${STAMP}$`), 'superseded'],
  [new RegExp(`^\\.journal\\.orphaned-${STAMP}$`), 'orphaned']
]

export function managedCopies(vaultPath: string): ManagedCopy[] {
  const dir = path.dirname(vaultPath)
  const base = path.basename(vaultPath)
  const copies: ManagedCopy[] = []
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(base)) continue
    const kind = KINDS.find(([pattern]) => pattern.test(name.slice(base.length)))?.[1]
    const file = path.join(dir, name)
    const stat = kind === undefined ? undefined : fs.statSync(file, { throwIfNoEntry: false })
    if (kind !== undefined && stat?.isFile()) copies.push({ path: file, kind, madeAt: stat.mtimeMs })
  }
  return copies
}

/** A library record as a copy holds it, unchecked (copies may be of any schema). */
export interface CopyRecord {
  readonly id: string
  readonly sealed: Readonly<Record<string, unknown>>
}

/**
 * The library records a copy holds: a vault file's, or the library lines of a journal (a last line cut short is
 * skipped, as at replay). Null when it does not read: then nobody, Larder included, can tell what it holds.
 */
export function recordsIn(raw: Buffer): CopyRecord[] | null {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '')
  const whole = parseObject(text)
  if (whole && isObject(whole['libraries'])) return Object.values(whole['libraries']).flatMap(recordOf)
  const lines = text.split('\n').slice(0, -1).filter((line) => line !== '')
  const ops = lines.map(parseObject)
  if (ops.some((op) => op === null)) return null
  return ops.flatMap((op) => recordOf(op?.['library']))
}

/** Takes library or key `id`, and the entries that use its token, out of the copy at `file`. Resolves to whether it changed. */
export async function scrubCopy(file: string, id: string, cipher: Cipher): Promise<boolean> {
  const raw = readFileOrNull(file)
  const text = raw?.toString('utf8')
  // Its record names its id before its secrets: a copy without the id holds none of them.
  if (text === undefined || !text.includes(JSON.stringify(id))) return false
  const whole = parseObject(text.replace(/^\uFEFF/, ''))
  let next: string
  if (whole && isObject(whole['libraries'])) {
    withoutLibrary(whole, id)
    next = JSON.stringify(whole, null, '\t')
  } else {
    const lines = text.split('\n')
    const kept: string[] = []
    for (const line of lines) {
      const op = line === '' ? null : parseObject(line)
      if (op === null) kept.push(await blanked(line, id, cipher))
      else if (!concerns(op, id)) kept.push(line)
    }
    next = kept.join('\n')
  }
  if (next === text) return false
  const { atime, mtime } = fs.statSync(file)
  writeFileAtomic(file, next)
  fs.utimesSync(file, atime, mtime)
  return true
}

function withoutLibrary(data: Record<string, unknown>, id: string): void {
  const libraries = data['libraries'] as Record<string, unknown>
  delete libraries[id]
  if (isObject(data['keys'])) delete data['keys'][id]
  const entries = data['entries']
  if (!isObject(entries)) return
  for (const [key, entry] of Object.entries(entries)) {
    if (key === id || (isObject(entry) && entry['connectionId'] === id)) delete entries[key]
  }
}

/** A journal line that holds the library's (or key's) record, or an entry using its token. */
function concerns(op: Record<string, unknown>, id: string): boolean {
  const library = op['library'] ?? op['key']
  const entry = op['entry']
  if (isObject(library) && isObject(library['meta']) && library['meta']['id'] === id) return true
  return isObject(entry) && (entry['id'] === id || entry['connectionId'] === id)
}

const QUOTED = /"((?:[^"\\\n]|\\.){16,})"/g

/** Text that does not read: each quoted value that opens as a secret of library (or key) `id` is blanked. */
async function blanked(text: string, id: string, cipher: Cipher): Promise<string> {
  let out = ''
  let from = 0
  for (const match of text.matchAll(QUOTED)) {
    let value: unknown
    try {
      value = JSON.parse(match[0])
    } catch {
      continue
    }
    if (typeof value !== 'string' || ((await peekSecret(cipher, value))?.libraryId ?? (await peekKeyId(cipher, value))) !== id) continue
    out += `${text.slice(from, match.index)}""`
    from = match.index + match[0].length
  }
  return out + text.slice(from)
}

function recordOf(value: unknown): CopyRecord[] {
  if (!isObject(value) || !isObject(value['meta']) || !isObject(value['secrets'])) return []
  const id = value['meta']['id']
  return typeof id === 'string' ? [{ id, sealed: value['secrets'] }] : []
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return isObject(value) ? value : null
  } catch {
    return null
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
