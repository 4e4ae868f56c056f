// What the estate view's component tests feed the fake bridge: import reports and rows, restore reports, and the
// helpers that find a form's fields by their label inside one part of the page (several forms share words).
import type { HTMLElement } from 'happy-dom'
import type { CallName, CallResult, ImportReportView, ImportRowView, RestoreReportView } from '../../../src/shared/contract.ts'
import { settle, type Rendered } from './render.ts'

export const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
export const refused = <N extends CallName>(message: string, field?: string): CallResult<N> =>
  ({ ok: false, error: { kind: 'invalid_input', message, ...(field === undefined ? {} : { field }) } }) as CallResult<N>

export function importRow(row: number, overrides: Partial<ImportRowView> = {}): ImportRowView {
  return { row, line: row + 1, name: `Customer ${row}`, system: 'apicbase', status: 'ready', message: null, problems: [], hostToConfirm: null, id: null, ...overrides }
}

export function importReport(rows: readonly ImportRowView[], overrides: Partial<ImportReportView> = {}): ImportReportView {
  const counts = { total: rows.length, ready: 0, imported: 0, failed: 0, problem: 0, duplicate: 0, spent: 0, cancelled: 0 }
  for (const row of rows) counts[row.status] += 1
  return {
    importId: 'import-1',
    fileName: 'customers.csv',
    format: 'csv',
    dryRun: true,
    rows,
    counts,
    hostsToConfirm: [],
    cancelled: false,
    startedAt: 1_000,
    finishedAt: 2_000,
    ...overrides
  }
}

export function restoreReport(libraries: RestoreReportView['libraries'], overrides: Partial<RestoreReportView> = {}): RestoreReportView {
  const counts = { restored: 0, needs_reauth: 0, paused: 0, kept: 0, unchanged: 0, left_out: 0, confirm_host: 0 }
  for (const library of libraries) counts[library.outcome] += 1
  return { dryRun: true, createdAt: Date.UTC(2026, 10, 20, 9), machine: 'office-laptop', move: null, libraries, keys: [], settings: 'kept', hostsToConfirm: [], counts, ...overrides }
}

interface Act {
  act(callback: () => Promise<void> | void): Promise<void>
}
const reactSpecifier = 'react'
/** Runs what changes the store from outside the page (an event, a call's answer) as React wants it: inside act. */
export async function act(callback: () => void): Promise<void> {
  await (await (import(/* @vite-ignore */ reactSpecifier) as Promise<Act>)).act(callback)
  await settle()
}

/** A promise the test resolves when it chooses (an import under way). */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

/** The element (a form, a section) whose accessible name (aria-label, or its heading) is `name`. */
export function part(view: Rendered, name: string): HTMLElement {
  const found = view.all('form, section, [role="group"]').find((element) => {
    const label = element.getAttribute('aria-label')
    if (label === name) return true
    const by = element.getAttribute('aria-labelledby')
    return by !== null && view.root.querySelector(`[id="${by}"]`)?.textContent.trim() === name
  })
  if (!found) throw new Error(`no part "${name}" in: ${view.root.textContent}`)
  return found
}

/** The input a label names inside `scope`. */
export function inputIn(scope: HTMLElement, label: string): HTMLElement {
  const found = [...scope.querySelectorAll('label')].find((element) => element.textContent.trim() === label)
  const id = found?.getAttribute('for')
  const input = id ? scope.querySelector(`[id="${id}"]`) : null
  if (!input) throw new Error(`no field "${label}" in: ${scope.textContent}`)
  return input as unknown as HTMLElement
}

export function buttonIn(scope: HTMLElement, name: string): HTMLElement {
  const found = [...scope.querySelectorAll('button')].find((button) => button.textContent.trim() === name || button.getAttribute('aria-label') === name)
  if (!found) throw new Error(`no button "${name}" in: ${scope.textContent}`)
  return found as unknown as HTMLElement
}

/** Ticks or unticks a checkbox as a person's click does. */
export async function tick(view: Rendered, box: HTMLElement): Promise<void> {
  await view.click(box)
  await settle()
}

/** Opens one of the view's tabs. */
export async function openTab(view: Rendered, name: string): Promise<void> {
  const tab = view.all('[role="tab"]').find((element) => element.textContent.trim() === name)
  if (!tab) throw new Error(`no tab ${name}`)
  await view.click(tab)
}
