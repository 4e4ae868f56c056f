// What the estate view says: each import row's status, each restore outcome in plain words, the backup passphrase's
// rule, the warnings before a move and before taking a library back, and the file names suggested. Plain data (the
// contract's types only: nothing of zod reaches the page).
import type { ImportCounts, ImportRowStatus, ImportRowView } from '../../../../shared/contract.ts'
import type { RestoreReportView } from '../../../../shared/contract/estate.ts'
import type { FileFilter } from '../../../../shared/contract/files.ts'

/** The main process checks it again (core/estate/backup/passphrase.ts) and says why. */
export const BACKUP_PASSPHRASE_MIN_LENGTH = 12
export const PASSPHRASE_RULE = `At least ${BACKUP_PASSPHRASE_MIN_LENGTH} characters: a few words are easiest to type and remember. Larder cannot recover it.`

/** The checks a person's passphrase meets before anything is sent; null when it does. */
export function passphraseProblem(passphrase: string, repeated: string): { readonly field: 'passphrase' | 'repeat'; readonly message: string } | null {
  if (passphrase.trim() === '') return { field: 'passphrase', message: 'Choose a passphrase for the file.' }
  if ([...passphrase.normalize('NFC')].length < BACKUP_PASSPHRASE_MIN_LENGTH) return { field: 'passphrase', message: `Too short: use at least ${BACKUP_PASSPHRASE_MIN_LENGTH} characters.` }
  if (repeated !== passphrase) return { field: 'repeat', message: 'The two passphrases differ: type the same one twice.' }
  return null
}

/** An import row's status as the README and the saved report name it. */
export const IMPORT_STATUS_WORD: Readonly<Record<ImportRowStatus, string>> = {
  ready: 'ready',
  imported: 'imported',
  failed: 'failed',
  problem: 'problem',
  duplicate: 'duplicate',
  spent: 'spent',
  cancelled: 'cancelled'
}

/** Statuses that need nothing from the person. */
export function isFine(status: ImportRowStatus): boolean {
  return status === 'ready' || status === 'imported'
}

/** What Larder found in a row: each problem with its column, else the row's own sentence. */
export function rowFindings(row: ImportRowView): string {
  if (row.problems.length > 0) return row.problems.map((problem) => (problem.field === 'row' ? problem.message : `${problem.field}: ${problem.message}`)).join(' · ')
  return row.message ?? ''
}

const COUNT_ORDER: readonly (keyof ImportCounts & ImportRowStatus)[] = ['ready', 'imported', 'failed', 'problem', 'duplicate', 'spent', 'cancelled']

/** "12 rows: 9 ready, 2 problem, 1 duplicate" (only the statuses present). */
export function countsLine(counts: ImportCounts): string {
  const parts = COUNT_ORDER.filter((status) => counts[status] > 0).map((status) => `${counts[status].toLocaleString()} ${IMPORT_STATUS_WORD[status]}`)
  return `${counts.total.toLocaleString()} ${counts.total === 1 ? 'row' : 'rows'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`
}

type LibraryOutcome = RestoreReportView['libraries'][number]['outcome']
type KeyOutcome = RestoreReportView['keys'][number]['outcome']

/** What a restore does (or did) with a library, in plain words: before (inspect) and after (restore). */
export const RESTORE_OUTCOME_WORDS: Readonly<Record<LibraryOutcome, { readonly before: string; readonly after: string }>> = {
  restored: { before: 'Restored live: refreshes go on', after: 'Restored: refreshes go on' },
  needs_reauth: { before: 'Needs re-authorization: its token was used since the backup', after: 'Needs re-authorization: its token was used since the backup' },
  paused: { before: 'Paused: Larder cannot tell whether its token is still live', after: 'Paused: Larder cannot tell whether its token is still live' },
  kept: { before: 'Kept as it is here: this machine holds a newer token', after: 'Kept as it is here: this machine holds a newer token' },
  unchanged: { before: 'Unchanged: already here with the same token', after: 'Unchanged: already here with the same token' },
  left_out: { before: 'Left out: its record here was changed outside Larder', after: 'Left out: its record here was changed outside Larder' },
  confirm_host: { before: 'Waits for you: confirm its host above', after: 'Not restored: its host was not confirmed' }
}

export const KEY_OUTCOME_WORDS: Readonly<Record<KeyOutcome, string>> = {
  restored: 'Restored',
  kept: 'Kept as it is here',
  replaced_since: 'Kept: its token was replaced since the backup',
  left_out: 'Left out: its record here was changed outside Larder',
  confirm_host: 'Waits for you: confirm its host above'
}

/** The outcome's tone for its tag: fine, needs a look, needs the person. */
export function outcomeTone(outcome: LibraryOutcome | KeyOutcome): 'ok' | 'warn' | 'bad' | 'off' {
  if (outcome === 'restored') return 'ok'
  if (outcome === 'needs_reauth' || outcome === 'left_out') return 'bad'
  if (outcome === 'paused' || outcome === 'replaced_since' || outcome === 'confirm_host') return 'warn'
  return 'off'
}

export const BACKUP_FILTERS: readonly FileFilter[] = [{ name: 'Larder backups (age)', extensions: ['age'] }]
export const IMPORT_FILTERS: readonly FileFilter[] = [{ name: 'CSV or JSON', extensions: ['csv', 'json'] }]
export const CONFIG_FILTERS: readonly FileFilter[] = [{ name: 'JSON', extensions: ['json'] }]

/** A file name with today's date: larder-backup-2026-12-06.age. */
export function datedName(stem: string, extension: string, now: number = Date.now()): string {
  return `${stem}-${new Date(now).toISOString().slice(0, 10)}.${extension}`
}

/** "12 KB", "1.4 MB". */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`
}
