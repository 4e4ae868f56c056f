// The dashboard benchmark's result as a readable table, goals marked met or MISSED.
import os from 'node:os'
import { GOALS, LAUNCH_ARGS, OVERSCAN, type Breakdown, type DashboardResult, type MixedFigure, type MixedResult, type ScrollWayResult } from './settings.ts'

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
const times = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)}×` : '–')

function table(rows: readonly (readonly string[])[]): string {
  const header = rows[0] ?? []
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n')
}

/** The result as a readable table, goals marked met or MISSED. */
export function formatDashboardResult(result: DashboardResult): string {
  const { larder: l, baseline: b, ratios } = result
  const verdict = (id: string): string => {
    const found = result.goals.find((g) => g.id === id)
    return found === undefined ? '' : found.met ? 'met' : 'MISSED'
  }
  const n = (count: number): string => count.toLocaleString('en-US')
  const rows: string[][] = [['', 'dashboard, Chromium', `Larder (${n(l.libraries)})`, `baseline (${n(b.libraries)}, same run)`, 'ratio', 'goal', '']]
  const fr = l.firstRender
  rows.push(['1', `first render after libraries.list answered, median of ${fr.loads} loads`, ms(fr.medianMs), ms(b.firstRender.medianMs), times(ratios.firstRender), `≤ ${GOALS.firstRenderMs} ms`, verdict('dashboard.firstRender')])
  rows.push(['', '  min / max', `${ms(fr.minMs)} / ${ms(fr.maxMs)}`, `${ms(b.firstRender.minMs)} / ${ms(b.firstRender.maxMs)}`, '', '', ''])
  const parts = (x: Breakdown): string => `${ms(x.scriptMs)} / ${ms(x.frameWaitMs)} / ${ms(x.frameRenderMs)}`
  rows.push(['', '  medians: script (answer → rows in DOM) / wait for frame / frame', parts(fr.breakdown), parts(b.firstRender.breakdown), '', '', ''])
  rows.push(['', '  long tasks (≥ 50 ms) in that window, all loads; longest', `${fr.longTasks}; ${ms(fr.longestTaskMs)}`, `${b.firstRender.longTasks}; ${ms(b.firstRender.longestTaskMs)}`, '', '', ''])
  const k = l.keystroke
  rows.push(['2', `keystroke → frame with the updated list, median (${k.keystrokes} keys)`, ms(k.medianMs), ms(b.keystroke.medianMs), times(ratios.keystrokeMedian), `≤ ${GOALS.keystrokeMedianMs} ms`, verdict('dashboard.keystroke')])
  rows.push(['', '  p95 (max)', `${ms(k.p95Ms)} (${ms(k.maxMs)})`, `${ms(b.keystroke.p95Ms)} (${ms(b.keystroke.maxMs)})`, times(ratios.keystrokeP95), `≤ ${GOALS.keystrokeP95Ms} ms`, verdict('dashboard.keystrokeP95')])
  rows.push(['', `  only keys that changed the rows (${k.changedList} / ${b.keystroke.changedList}): median / p95`, `${ms(k.changedMedianMs)} / ${ms(k.changedP95Ms)}`, `${ms(b.keystroke.changedMedianMs)} / ${ms(b.keystroke.changedP95Ms)}`, '', '', ''])
  rows.push(['', '  medians: script (keydown → list DOM changed) / wait for frame / frame', parts(k.breakdown), parts(b.keystroke.breakdown), '', '', ''])
  rows.push(['', '  script p95; input delay (keydown → listener) median', `${ms(k.scriptP95Ms)}; ${ms(k.inputDelayMedianMs)}`, `${ms(b.keystroke.scriptP95Ms)}; ${ms(b.keystroke.inputDelayMedianMs)}`, '', '', ''])
  const bare = result.bareInput
  rows.push(['', '  reference: a bare page with one <input>, same keys: median / p95 (script / wait / frame)', `${ms(bare.medianMs)} / ${ms(bare.p95Ms)} (${parts(bare.breakdown)})`, '', times(ratios.keystrokeOverBare), '', ''])
  rows.push(['', '  long tasks (≥ 50 ms) while typing; longest', `${k.longTasks}; ${ms(k.longestTaskMs)}`, `${b.keystroke.longTasks}; ${ms(b.keystroke.longestTaskMs)}`, '', '', ''])
  const rest = l.rows.atRest
  const middle = l.rows.middle
  rows.push(['3', `rows in the DOM at rest (of ${n(l.rows.listed)}): in DOM (visible)`, `${rest.inDom} (${rest.visible})`, `${b.rows.atRest.inDom} (${b.rows.atRest.visible})`, '', `≤ visible + ${2 * OVERSCAN}`, verdict('dashboard.rowsAtRest')])
  rows.push(['', 'rows in the DOM scrolled to the middle: in DOM (visible)', `${middle.inDom} (${middle.visible})`, `${b.rows.middle.inDom} (${b.rows.middle.visible})`, '', `≤ visible + ${2 * OVERSCAN}`, verdict('dashboard.rowsMiddle')])
  const ls = l.scroll
  const bs = b.scroll
  const way = (x: ScrollWayResult): string => `${ms(x.medianMs)} / ${ms(x.p95Ms)} / ${ms(x.longestFrameMs)} (${x.pages})`
  const tasks = (x: ScrollWayResult): string => `${x.longTasks}; ${ms(x.longestTaskMs)}`
  rows.push(['4', `scrolling a page (${ls.rowsPerPage} rows): long tasks (≥ 50 ms), Page Down + wheel; longest`, `${ls.pageDown.longTasks + ls.wheel.longTasks}; ${ms(Math.max(ls.pageDown.longestTaskMs, ls.wheel.longestTaskMs))}`, `${bs.pageDown.longTasks + bs.wheel.longTasks}; ${ms(Math.max(bs.pageDown.longestTaskMs, bs.wheel.longestTaskMs))}`, '', `${GOALS.scrollLongTasks}`, verdict('dashboard.scrollLongTasks')])
  rows.push(['', '  Page Down (selection and details move too): input → page painted, median / p95 / longest frame (pages)', way(ls.pageDown), way(bs.pageDown), '', '', ''])
  rows.push(['', '  wheel (Chromium animates it): input → page painted, median / p95 / longest frame (pages)', way(ls.wheel), way(bs.wheel), '', '', ''])
  rows.push(['', '  long tasks: Page Down; wheel', `${tasks(ls.pageDown)}  ${tasks(ls.wheel)}`, `${tasks(bs.pageDown)}  ${tasks(bs.wheel)}`, '', '', ''])
  const js = result.bundle
  rows.push(['5', `renderer JavaScript loaded at start, minified (files)`, `${js.startKb.toFixed(1)} kB (${js.startFiles})`, '', '', `≤ ${GOALS.startJsKb} kB`, verdict('dashboard.startJs')])
  rows.push(['', '  all of it, views opened later included (files)', `${js.totalKb.toFixed(1)} kB (${js.totalFiles})`, '', '', '', ''])
  const mixed = result.mixed === null ? '' : `\n${formatMixed(result.mixed)}\n`
  const met = result.goals.filter((g) => g.met).length
  const notes = [
    `Chromium ${result.chromium}, ${result.viewport.width}×${result.viewport.height}, headless, ${LAUNCH_ARGS.join(' ')}; node ${process.version}, ${os.cpus().length} CPUs`,
    `libraries.list answered ${result.listDelayMs} ms after it was asked (shell on screen first in ${fr.shellFirst} of ${fr.loads} loads); times end when the frame is painted`,
    `goals met: ${met} of ${result.goals.length}`
  ]
  return `${table(rows)}\n${mixed}\n${notes.join('\n')}\n`
}

const figure = (value: number, unit: MixedFigure['unit']): string => (!Number.isFinite(value) ? '–' : unit === 'ms' || unit === 'cpu ms' ? ms(value) : `${value}`)

/** Issue 15's comparison: every figure of the mixed list beside the Apicbase-only list's, its ratio, worse or not. */
export function formatMixed(mixed: MixedResult): string {
  const n = (count: number): string => count.toLocaleString('en-US')
  const { composition: c, tolerance: t } = mixed
  const keys = c.keys.safetyculture + c.keys.airtable + c.keys.service_token
  const rows: string[][] = [['6', `mixed list of ${n(mixed.entries)} vs Apicbase only, same run`, `Apicbase only (${n(mixed.apicbaseOnly.libraries)})`, `mixed (${n(c.libraries)} + ${n(keys)} keys)`, 'ratio', 'worse beyond noise?']]
  for (const f of mixed.figures) rows.push(['', f.name, figure(f.apicbaseOnly, f.unit), figure(f.mixed, f.unit), times(f.ratio), f.worse ? 'WORSE' : 'no'])
  const statuses = Object.entries(c.keyStatuses)
    .map(([status, count]) => `${status} ${n(count)}`)
    .join(', ')
  const notes = [
    `the mixed list: ${n(c.libraries)} Apicbase libraries; keys: ${n(c.keys.safetyculture)} SafetyCulture, ${n(c.keys.airtable)} Airtable, ${n(c.keys.service_token)} service tokens, ${n(c.customers)} customers (${statuses})`,
    `${mixed.apicbaseOnly.firstRender.loads} loads (CPU read in ${mixed.apicbaseOnly.cpu?.firstRenderLoads ?? 0} / ${mixed.mixed.cpu?.firstRenderLoads ?? 0}) and ${mixed.apicbaseOnly.keystroke.keystrokes} keystrokes per side, alternating; CPU: the renderer main thread's (DevTools thread-time counters); worse means: a time above both ${Math.round(t.relative * 100)} % and ${t.absoluteMs} ms over Apicbase only (a CPU time: ${Math.round(t.relative * 100)} % and ${t.cpuMs} ms), rows in the DOM any more, long tasks more than ${t.longTasks} more (first renders: per 5 loads)`,
    mixed.noFigureWorse ? 'no figure worse: holds in this run' : `no figure worse: does NOT hold in this run (${mixed.worse} worse)`
  ]
  return `${table(rows)}\n${notes.join('\n')}`
}
