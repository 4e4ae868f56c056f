// How the command writes times and statuses for a person (the window's words, without loading the window's code).
import { STATUS_LABEL } from '../../shared/status-words.ts'

export function statusWord(status: string): string {
  return (STATUS_LABEL as Readonly<Record<string, string>>)[status] ?? status
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "6 d 23 h", "4 h 10 min", "12 min", "expired". */
export function timeLeft(ms: number | null): string {
  if (ms === null) return '–'
  if (ms <= 0) return 'expired'
  if (ms >= DAY) return `${Math.floor(ms / DAY)} d ${Math.floor((ms % DAY) / HOUR)} h`
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} h ${Math.floor((ms % HOUR) / MINUTE)} min`
  return `${Math.max(1, Math.floor(ms / MINUTE))} min`
}

export function when(at: number | null | undefined): string {
  return at === null || at === undefined ? 'never' : new Date(at).toISOString().replace('.000Z', 'Z')
}

/** Columns padded to their widest cell; the last one is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n')
}
