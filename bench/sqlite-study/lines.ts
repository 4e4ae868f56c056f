// Lines of the current vault (at a pinned commit, so the count does not move while the vault is being split) by
// what SQLite would replace and what stays, against the prototype's. Method spans are found by name and run to
// the closing brace at their indentation, with the comment block above them.
// Usage: node bench/sqlite-study/lines.ts [--commit=8bccefe]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

type Role = 'replaced' | 'stays'

interface FileRole {
  readonly path: string
  readonly role: Role
  readonly what: string
}

const VAULT = 'src/main/core/vault'
const FILES: readonly FileRole[] = [
  { path: `${VAULT}/journal.ts`, role: 'replaced', what: 'journal: append, replay, generations, salvage' },
  { path: `${VAULT}/group-commit.ts`, role: 'replaced', what: 'group commit' },
  { path: `${VAULT}/durable-fs.ts`, role: 'replaced', what: 'durable appends, atomic replace, file stamps' },
  { path: `${VAULT}/spent-ledger.ts`, role: 'replaced', what: 'spent ledger file (its fingerprint function stays)' },
  { path: `${VAULT}/recover-unrenamed.ts`, role: 'replaced', what: 'recovery of unrenamed writes' },
  { path: `${VAULT}/vault.ts`, role: 'replaced', what: 'open: journal replay, salvage, recovery, restore' },
  { path: `${VAULT}/file-format.ts`, role: 'replaced', what: 'JSON file layout (kept read-only to import old files)' },
  { path: `${VAULT}/entry-table.ts`, role: 'replaced', what: 'entries in memory with their merge' },
  { path: `${VAULT}/serial-queue.ts`, role: 'replaced', what: 'ordering of changes around awaited reloads' },
  { path: `${VAULT}/backups.ts`, role: 'stays', what: 'backups (SQLite: the backup API instead of file copies)' },
  { path: `${VAULT}/vault-load.ts`, role: 'stays', what: 'option checks, key check' },
  { path: `${VAULT}/sealing.ts`, role: 'stays', what: 'sealing' },
  { path: `${VAULT}/cipher.ts`, role: 'stays', what: 'cipher contract' },
  { path: `${VAULT}/passphrase-cipher.ts`, role: 'stays', what: 'passphrase cipher' },
  { path: `${VAULT}/migrations.ts`, role: 'stays', what: 'migrations' },
  { path: `${VAULT}/migrate-v1-v2.ts`, role: 'stays', what: 'migrations' },
  { path: `${VAULT}/migrate-v2-v3.ts`, role: 'stays', what: 'migrations' },
  { path: `${VAULT}/settings.ts`, role: 'stays', what: 'settings' },
  { path: `${VAULT}/library-checks.ts`, role: 'stays', what: 'record checks' },
  { path: `${VAULT}/entry-checks.ts`, role: 'stays', what: 'record checks' },
  { path: `${VAULT}/checks.ts`, role: 'stays', what: 'record checks' },
  { path: `${VAULT}/errors.ts`, role: 'stays', what: 'errors' },
  { path: `${VAULT}/vault-types.ts`, role: 'stays', what: 'contract' },
  { path: `${VAULT}/index.ts`, role: 'stays', what: 'public surface' }
]

/** file-vault.ts: these members are the write path, compaction, retry and the external-change reload and merge. */
const FILE_VAULT = `${VAULT}/file-vault.ts`
const FILE_VAULT_PERSISTENCE = [
  'reloadIfChanged', 'flush', 'close', 'writeNow', 'adoptFile', '#writeBatch', '#mustWriteEverything', '#appendChanges', '#journalOp',
  '#writeEverything', '#fileBytes', '#planCompaction', '#cancelCompaction', '#scheduleRetry', '#reloadBeforeWrite', '#checkForChanges',
  '#reloadInside', '#withJournal', '#merge', '#memoryIsNewer', '#holdsLiveToken', '#rewriteFromMemory', '#announce'
]

/** The prototype's own persistence: open and schema, the transaction that is its group commit, noticing other writers, close. */
const PROTOTYPE = 'bench/sqlite-study/sqlite-vault.ts'
const PROTOTYPE_PERSISTENCE = ['openSqliteVault', 'ensureSchema', 'reloadIfChanged', 'close', '#join', '#commitNow', '#readDataVersion']

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')
}

/** Lines of a member or function called `name`, with the comment block right above it. */
function span(lines: readonly string[], name: string): number {
  const start = lines.findIndex((line) => new RegExp(`^\\s*(export )?(async )?(function )?${escape(name)}[<(]`).test(line))
  if (start < 0) throw new Error(`no member ${name}`)
  const indent = /^\s*/.exec(lines[start]!)![0]
  let end = start
  while (end < lines.length && lines[end] !== `${indent}}`) end++
  let first = start
  while (first > 0 && /^\s*(\/\/|\/\*\*|\*)/.test(lines[first - 1]!)) first--
  return end - first + 1
}

function show(commit: string, file: string): string[] {
  return execFileSync('git', ['show', `${commit}:${file}`], { encoding: 'utf8' }).split('\n').slice(0, -1)
}

function main(): void {
  const commit = process.argv.find((arg) => arg.startsWith('--commit='))?.slice('--commit='.length) ?? '8bccefe'
  const rows: { path: string; role: Role; lines: number; what: string }[] = []
  for (const file of FILES) rows.push({ ...file, lines: show(commit, file.path).length })
  const fileVault = show(commit, FILE_VAULT)
  const persistence = FILE_VAULT_PERSISTENCE.reduce((sum, name) => sum + span(fileVault, name), 0)
  rows.push({ path: `${FILE_VAULT} (write path, compaction, retry, reload/merge)`, role: 'replaced', lines: persistence, what: '' })
  rows.push({ path: `${FILE_VAULT} (the record operations)`, role: 'stays', lines: fileVault.length - persistence, what: '' })
  const prototype = fs.readFileSync(PROTOTYPE, 'utf8').split('\n').slice(0, -1)
  const prototypePersistence = PROTOTYPE_PERSISTENCE.reduce((sum, name) => sum + span(prototype, name), 0)
  const out: string[] = [`current vault at ${commit}`, '', '| file | role | lines |', '| --- | --- | ---: |']
  for (const role of ['replaced', 'stays'] as const) {
    for (const row of rows.filter((r) => r.role === role)) out.push(`| ${row.path}${row.what ? ` — ${row.what}` : ''} | ${role} | ${row.lines} |`)
    out.push(`| **total ${role}** | | **${rows.filter((r) => r.role === role).reduce((sum, r) => sum + r.lines, 0)}** |`)
  }
  out.push('', '| prototype | lines |', '| --- | ---: |')
  out.push(`| ${PROTOTYPE}, whole file | ${prototype.length} |`)
  const schemaStart = prototype.findIndex((line) => line.startsWith('const SCHEMA = `'))
  const schema = prototype.indexOf('`', schemaStart) - schemaStart + 1
  out.push(`| of which persistence (${PROTOTYPE_PERSISTENCE.join(', ')}, the schema) | ${prototypePersistence + schema} |`)
  process.stdout.write(`${out.join('\n')}\n`)
}

main()
