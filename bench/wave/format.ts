// The wave benchmark's result as a readable table, goals marked met or MISSED.
import os from 'node:os'
import type { Goal } from '../measure.ts'
import type { DesktopScaleResult } from './desktop-scale.ts'
import type { WaveSample } from './measure-wave.ts'

/** What the wave benchmark measured (WaveResult adds its duration). */
export interface WaveFigures {
  readonly chromium: string
  /** How the page was driven. */
  readonly driver: string
  readonly libraries: number
  readonly seedMs: number
  readonly idle: WaveSample
  readonly baseline: WaveSample
  readonly wave: WaveSample
  /** Only with --playwright: the same wave driven the old way (Playwright, its Network domain on), then over bare DevTools again. */
  readonly laterWaves: readonly { readonly driver: 'cdp' | 'playwright'; readonly sample: WaveSample }[]
  readonly desktopScale: DesktopScaleResult
  readonly finalState: { readonly libraries: number; readonly sha256: string }
  readonly goals: readonly Goal[]
}

export function table(rows: readonly (readonly string[])[]): string {
  const header = rows[0] ?? []
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n')
}

const n = (value: number): string => value.toLocaleString('en-US')
const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`

export function verdictOf(goals: readonly Goal[], id: string): string {
  const found = goals.find((g) => g.id === id)
  return found === undefined ? '' : found.met ? 'met' : 'MISSED'
}

export function formatWaveResult(result: WaveFigures): string {
  const { idle, baseline, wave, laterWaves } = result
  const later = laterWaves.map((w) => w.sample)
  const laterTitle = (driver: 'cdp' | 'playwright'): string => (driver === 'cdp' ? 'again, bare CDP' : 'again, Playwright (old way)')
  const verdict = (id: string): string => verdictOf(result.goals, id)
  const row = (label: string, pick: (s: WaveSample) => string, goalText = '', id = ''): string[] => [label, pick(wave), pick(baseline), pick(idle), ...later.map(pick), goalText, id === '' ? '' : verdict(id)]
  const rows: string[][] = [['', `wave: ${n(wave.refreshed)} of ${n(result.libraries)}`, `baseline: ${n(baseline.refreshed)}`, 'page idle', ...laterWaves.map((w) => laterTitle(w.driver)), 'goal', '']]
  rows.push(row('library.changed events sent to the page', (s) => n(s.events)))
  rows.push(row('main: refreshes done, ms (event loop busy)', (s) => `${ms(s.mainMs)} (${ms(s.mainBusyMs)})`))
  rows.push(row('page: window until the store had every change', (s) => ms(s.pageMs)))
  rows.push(row('long tasks (≥ 50 ms) in the renderer; longest', (s) => `${s.longTasks}; ${ms(s.longestTaskMs)}`, '0', 'wave.longTasks'))
  rows.push(row('  each long task: wall / CPU (thread time), ms', (s) => (s.cpu === null ? 'not traced' : s.cpu.longTasks.length === 0 ? '–' : s.cpu.longTasks.map((t) => `${t.wallMs} / ${t.cpuMs ?? '?'}`).join(', '))))
  rows.push(row('renderer tasks: heaviest CPU (its wall); all CPU', (s) => (s.cpu === null ? 'not traced' : `${ms(s.cpu.heaviestCpuMs)} (${ms(s.cpu.heaviestWallMs)}); ${ms(s.cpu.cpuMs)}`)))
  rows.push(row('store updates of the list / all store updates', (s) => `${s.libraryUpdates} / ${s.storeUpdates}`))
  rows.push(row('React commits', (s) => n(s.commits)))
  rows.push(row('frames; frames per second; longest gap', (s) => `${s.frames}; ${s.fps}; ${ms(s.longestFrameGapMs)}`))
  rows.push(row('list updates per frame', (s) => (s.frames > 0 ? (s.libraryUpdates / s.frames).toFixed(2) : '–'), '≤ 1', 'wave.updatesPerFrame'))
  rows.push(row('renderer script per store update of the list', (s) => (s.libraryUpdates > 0 ? ms(s.renderer.scriptMs / s.libraryUpdates) : '–')))
  rows.push(row('renderer script / layout / style / all tasks', (s) => `${ms(s.renderer.scriptMs)} / ${ms(s.renderer.layoutMs)} / ${ms(s.renderer.styleMs)} / ${ms(s.renderer.taskMs)}`))
  rows.push(row('desktop: tray shown; libraries through tray / notifier; ms', (s) => `${s.desktop.trayShown}; ${n(s.desktop.trayLibraries)} / ${n(s.desktop.notifierLibraries)}; ${ms(s.desktop.ms)}`))

  const scale = result.desktopScale
  const scaleRows: string[][] = [['desktop feed on a manual clock', 'changes', 'tray shown', 'operations', 'per change', 'µs per change']]
  for (const c of scale.cases) {
    scaleRows.push([`${n(c.libraries)} libraries, ${n(c.refreshed)} refreshed`, n(c.changes), String(c.trayShown), n(c.operations), String(c.operationsPerChange), String(c.usPerChange)])
  }
  const growth = `per change, 10× the libraries: ${scale.growthWithLibraries}×; 10× the changes: ${scale.growthWithChanges}× (goal ≤ 1.25×, ${verdict('wave.desktopGrowth')})`
  const met = result.goals.filter((g) => g.met).length
  const inside: string[] = []
  const labelled: [string, WaveSample][] = [['wave', wave], ['baseline', baseline], ['idle', idle], ...laterWaves.map((w): [string, WaveSample] => [`wave ${laterTitle(w.driver)}`, w.sample])]
  for (const [label, sample] of labelled) {
    for (const task of sample.cpu?.longTasks ?? []) inside.push(`long task in ${label}: ${task.wallMs} ms wall, ${task.cpuMs ?? '?'} ms CPU; inside: ${task.inside.join('; ') || '(nothing ≥ 2 ms traced)'}`)
  }
  const notes = [
    `page driven over a ${result.driver}; CPU from a trace of each window (arm → 1.5 s after the store's last update)`,
    ...inside,
    `after the waves the page's store equals the main side's ${n(result.finalState.libraries)} views (sha256 ${result.finalState.sha256.slice(0, 16)}…)`,
    `seeding ${n(result.libraries)} libraries: ${ms(result.seedMs)}; Chromium ${result.chromium}, headless; node ${process.version}, ${os.cpus().length} CPUs`,
    'operations: library entries the desktop work went through (views built for the tray, libraries summed up, libraries the notifier was told of)',
    `goals met: ${met} of ${result.goals.length}`
  ]
  return `${table(rows)}\n\n${table(scaleRows)}\n${growth}\n\n${notes.join('\n')}\n`
}
