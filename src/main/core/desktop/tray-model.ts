// What the tray shows, as plain data: an icon level, a tooltip in words and a menu description. The Electron
// adapter only translates it, so everything a person reads in the tray is decided (and tested) here.
import type { CopyFormat, LibraryStatus, LibraryView, VaultState } from '../../../shared/contract.ts'
import {
  STATUSES_WORST_FIRST,
  STATUS_HEADINGS,
  displayName,
  levelOf,
  libraries as countLibraries,
  type AttentionLevel
} from './status-words.ts'

export type TrayLevel = AttentionLevel
export type TrayCopyFormat = Extract<CopyFormat, 'token' | 'header'>

export type TrayCommand =
  | { readonly kind: 'copy'; readonly id: string; readonly format: TrayCopyFormat }
  | { readonly kind: 'refresh'; readonly id: string }
  | { readonly kind: 'open'; readonly id?: string }
  | { readonly kind: 'quit' }
  /** The app lock: lock now (refreshes go on). */
  | { readonly kind: 'lock' }

export type MenuNode =
  | {
      readonly type: 'item'
      readonly label: string
      readonly command: TrayCommand
      readonly enabled: boolean
      /** Why a disabled item cannot work (its tooltip where the system shows one; a line above says it everywhere). */
      readonly reason?: string
    }
  /** A line that cannot be clicked: a group heading or a note. */
  | { readonly type: 'label'; readonly label: string }
  | { readonly type: 'submenu'; readonly label: string; readonly children: readonly MenuNode[] }
  | { readonly type: 'separator' }

export interface TrayModel {
  readonly level: TrayLevel
  readonly tooltip: string
  readonly menu: readonly MenuNode[]
}

export type TrayLibrary = Pick<LibraryView, 'id' | 'name' | 'status' | 'expiresAt'> & {
  /** Only its kind: a record changed outside Larder is refused for everything but removal. */
  readonly lastError?: Pick<NonNullable<LibraryView['lastError']>, 'kind'> | null
  /** Personal tokens: the token's active library and whether it was changed outside Larder. */
  readonly personal?: Pick<NonNullable<LibraryView['personal']>, 'role' | 'connectionName' | 'activeLibraryName' | 'activeLibraryId' | 'isActive' | 'drifted'> | null
}

export interface TrayModelOptions {
  /** Libraries listed in the menu; the rest are summed up in one "and N more…" line. Default 25. */
  readonly maxListed?: number
}

export const DEFAULT_MAX_LISTED = 25
/** Windows cuts tray tooltips at 127 characters. */
export const MAX_TOOLTIP_CHARS = 127
const APP = 'Larder'

export function buildTrayModel(libraries: readonly TrayLibrary[], options: TrayModelOptions = {}): TrayModel {
  return trayModelOf(groupByStatus(libraries), libraries.length, options)
}

/** Libraries by status, each group in its menu order (see comparatorFor). */
export type TrayGroups = ReadonlyMap<LibraryStatus, readonly TrayLibrary[]>

/**
 * The model from libraries already grouped and sorted (buildTrayModel sorts them; tray-summary.ts keeps them sorted
 * as they change): it reads only the group sizes and the first `maxListed`, so it costs the same at 50 or 10,000.
 */
export function trayModelOf(groups: TrayGroups, total: number, options: TrayModelOptions = {}): TrayModel {
  const maxListed = Math.max(0, Math.floor(options.maxListed ?? DEFAULT_MAX_LISTED))
  const present = STATUSES_WORST_FIRST.filter((status) => (groups.get(status)?.length ?? 0) > 0).map((status) => ({ status }))
  return { level: worstLevel(present), tooltip: tooltipFor(total, groups), menu: menuFor(groups, maxListed) }
}

/** The id of the library a menu entry is for (its actions name it), or null for any other entry. */
export function libraryIdOf(node: MenuNode): string | null {
  if (node.type !== 'submenu') return null
  for (const child of node.children) if (child.type === 'item' && 'id' in child.command && child.command.id !== undefined) return child.command.id
  return null
}

/**
 * The tray before the vault is open: no library can be listed, and none is refreshed until it opens, so the tray
 * says so instead of "No libraries yet".
 */
export function buildClosedVaultTrayModel(state: Exclude<VaultState, { state: 'open' }>): TrayModel {
  const line = CLOSED_VAULT_LINES[state.state]
  const menu: MenuNode[] = [
    { type: 'label', label: line.label },
    { type: 'separator' },
    // Locked by the app lock: the window opens on its lock screen.
    { type: 'item', label: state.state === 'guarded' ? 'Unlock Larder…' : 'Open Larder', command: { kind: 'open' }, enabled: true },
    { type: 'item', label: 'Quit Larder', command: { kind: 'quit' }, enabled: true }
  ]
  return { level: line.level, tooltip: `Larder — ${line.tooltip}`, menu }
}

/**
 * Offline from the team: said first in the menu and at the end of the tooltip. Copies still hand out the tokens saved
 * here while they are valid; nothing of the team's is refreshed until Larder reaches the team database.
 */
export function withTeamOffline(model: TrayModel, since: number): TrayModel {
  const at = new Date(since)
  const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`
  const line: MenuNode = { type: 'label', label: `Offline from the team since ${clock}: copies use the tokens saved here; nothing is refreshed until Larder reaches the team database.` }
  const tooltip = `${model.tooltip} · offline from the team`
  return { ...model, level: model.level === 'ok' ? 'warning' : model.level, tooltip: tooltip.length > MAX_TOOLTIP_CHARS ? model.tooltip : tooltip, menu: [line, { type: 'separator' }, ...model.menu] }
}

/** The menu with "Lock now" above "Open Larder" (an app with a lock: every host but the agent). */
export function withLockItem(model: TrayModel): TrayModel {
  const at = model.menu.findIndex((node) => node.type === 'item' && node.command.kind === 'open' && node.command.id === undefined && node.label === 'Open Larder')
  if (at === -1) return model
  const lock: MenuNode = { type: 'item', label: 'Lock now', command: { kind: 'lock' }, enabled: true }
  return { ...model, menu: [...model.menu.slice(0, at), lock, ...model.menu.slice(at)] }
}

const CLOSED_VAULT_LINES: Record<Exclude<VaultState, { state: 'open' }>['state'], { label: string; tooltip: string; level: TrayLevel }> = {
  opening: { label: 'Opening the vault…', tooltip: 'opening the vault', level: 'ok' },
  locked: { label: 'Locked: open Larder to unlock it. No token is refreshed until then.', tooltip: 'locked, no token is refreshed', level: 'warning' },
  damaged: { label: 'The vault is damaged: open Larder to restore it. No token is refreshed.', tooltip: 'the vault is damaged', level: 'attention' },
  failed: { label: 'The vault did not open: open Larder to see why. No token is refreshed.', tooltip: 'the vault did not open', level: 'attention' },
  // The app lock: the vault is open and tokens go on being refreshed; no library is listed until a person unlocks.
  guarded: { label: 'Locked: tokens are still refreshed. Unlock Larder to see or copy them.', tooltip: 'locked, tokens are still refreshed', level: 'ok' }
}

export function worstLevel(libraries: readonly Pick<TrayLibrary, 'status'>[]): TrayLevel {
  let level: TrayLevel = 'ok'
  for (const { status } of libraries) {
    const next = levelOf(status)
    if (next === 'attention') return next
    if (next === 'warning') level = next
  }
  return level
}

type Groups = TrayGroups

function groupByStatus(libraries: readonly TrayLibrary[]): Groups {
  const groups = new Map<LibraryStatus, TrayLibrary[]>(STATUSES_WORST_FIRST.map((status) => [status, []]))
  for (const library of libraries) groups.get(library.status)?.push(library)
  for (const [status, members] of groups) members.sort(comparatorFor(status))
  return groups
}

/** How a status group is ordered in the menu: soonest expiry first where expiry is the point, else by name. */
export function comparatorFor(status: LibraryStatus): (a: TrayLibrary, b: TrayLibrary) => number {
  return status === 'expiring_soon' || status === 'expired' ? bySoonestExpiry : byName
}

function byName(a: TrayLibrary, b: TrayLibrary): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
}

function bySoonestExpiry(a: TrayLibrary, b: TrayLibrary): number {
  return (a.expiresAt ?? Number.POSITIVE_INFINITY) - (b.expiresAt ?? Number.POSITIVE_INFINITY) || byName(a, b)
}

function count(groups: Groups, ...statuses: LibraryStatus[]): number {
  return statuses.reduce((sum, status) => sum + (groups.get(status)?.length ?? 0), 0)
}

function tooltipFor(total: number, groups: Groups): string {
  if (total === 0) return `${APP} — no libraries yet`
  const needYou = count(groups, 'needs_reauth', 'error')
  const parts: string[] = []
  if (needYou > 0) parts.push(`${countLibraries(needYou)} ${needYou === 1 ? 'needs' : 'need'} you`)
  const expired = count(groups, 'expired')
  if (expired > 0) parts.push(`${expired} expired`)
  const expiring = count(groups, 'expiring_soon')
  if (expiring > 0) parts.push(`${expiring} expiring soon`)
  const refreshing = count(groups, 'refreshing')
  if (refreshing > 0) parts.push(`${refreshing} refreshing`)
  // A revoked or moved library is named as such, never counted as healthy nor as needing the person.
  const ended = ENDED.map((status) => ({ status, n: count(groups, status) })).filter(({ n }) => n > 0)
  if (parts.length > 0) for (const { status, n } of ended) parts.push(`${n} ${status}`)
  const text = parts.length > 0 ? `${APP} — ${parts.join(', ')}` : `${APP} — ${quietSummary(total, ended)}`
  return text.length <= MAX_TOOLTIP_CHARS ? text : `${text.slice(0, MAX_TOOLTIP_CHARS - 1)}…`
}

/** The statuses that end a library on this machine without needing the person; each is its own word. */
const ENDED = ['revoked', 'moved'] as const

/** The tooltip when nothing needs the person: all healthy, or healthy beside revoked and moved ones. */
function quietSummary(total: number, ended: readonly { readonly status: (typeof ENDED)[number]; readonly n: number }[]): string {
  const [only] = ended
  if (only === undefined) return total === 1 ? 'the library is healthy' : `all ${total} libraries are healthy`
  if (ended.length === 1 && only.n === total) return total === 1 ? `the library was ${only.status}` : `all ${total} libraries were ${only.status}`
  const healthy = total - ended.reduce((sum, { n }) => sum + n, 0)
  return [...(healthy > 0 ? [`${healthy} healthy`] : []), ...ended.map(({ status, n }) => `${n} ${status}`)].join(', ')
}

function menuFor(groups: Groups, maxListed: number): MenuNode[] {
  const menu: MenuNode[] = []
  let listed = 0
  let unlisted = 0
  for (const status of STATUSES_WORST_FIRST) {
    const members = groups.get(status) ?? []
    if (members.length === 0) continue
    const room = Math.max(0, maxListed - listed)
    if (room === 0) {
      unlisted += members.length
      continue
    }
    if (menu.length > 0) menu.push({ type: 'separator' })
    menu.push({ type: 'label', label: `${STATUS_HEADINGS[status]} (${members.length})` })
    for (const library of members.slice(0, room)) menu.push(librarySubmenu(library))
    listed += Math.min(room, members.length)
    unlisted += Math.max(0, members.length - room)
  }
  if (menu.length === 0) menu.push({ type: 'label', label: 'No libraries yet' })
  if (unlisted > 0) menu.push({ type: 'item', label: `and ${unlisted} more… (open Larder)`, command: { kind: 'open' }, enabled: true })
  menu.push({ type: 'separator' })
  menu.push({ type: 'item', label: 'Open Larder', command: { kind: 'open' }, enabled: true })
  menu.push({ type: 'item', label: 'Quit Larder', command: { kind: 'quit' }, enabled: true })
  return menu
}

/**
 * Why nothing can be done with this token from the tray, or null. A revoked token is gone; a dead refresh token can
 * be neither refreshed nor copied (a copy of an expiring token refreshes first, and Larder would refuse): only the
 * customer can help. The detail pane disables the same actions.
 */
function deadTokenReason(status: LibraryStatus, failure: TrayLibrary['lastError']): string | null {
  if (failure?.kind === 'tampered') return 'Cannot copy or refresh: the vault was changed outside Larder'
  if (status === 'needs_reauth') return 'Cannot copy or refresh: the customer must issue a new token'
  if (status === 'revoked') return 'Cannot copy or refresh: the token was revoked'
  if (status === 'moved') return 'Cannot copy or refresh here: it was moved to another machine'
  return null
}

function librarySubmenu(library: TrayLibrary): MenuNode {
  const { id, status, personal } = library
  // One already refreshing needs no second push. A library reached through a personal token whose active library was
  // changed outside Larder is not copied for (Larder would refuse): the person decides in the window whether to
  // switch back (its lines say so).
  const dead = deadTokenReason(status, library.lastError)
  const refused = personal?.role === 'library' && personal.drifted && !personal.isActive
  const copy = dead === null && !refused ? { enabled: true } : { enabled: false, ...(dead === null ? {} : { reason: dead }) }
  const refresh = dead === null ? { enabled: status !== 'refreshing' } : { enabled: false, reason: dead }
  return {
    type: 'submenu',
    label: personal?.role === 'connection' ? connectionLabel(library.name, personal) : displayName(library.name),
    children: [
      ...(dead === null ? [] : [{ type: 'label', label: dead } as const]),
      ...personalLines(personal),
      { type: 'item', label: 'Copy token', command: { kind: 'copy', id, format: 'token' }, ...copy },
      { type: 'item', label: 'Copy as Authorization header', command: { kind: 'copy', id, format: 'header' }, ...copy },
      { type: 'item', label: 'Refresh now', command: { kind: 'refresh', id }, ...refresh },
      { type: 'separator' },
      { type: 'item', label: 'Open in Larder', command: { kind: 'open', id }, enabled: true }
    ]
  }
}

type TrayPersonal = NonNullable<TrayLibrary['personal']>

function activeName(personal: TrayPersonal): string {
  if (personal.activeLibraryId === null) return 'not read yet'
  return displayName(personal.activeLibraryName ?? `library ${personal.activeLibraryId}`)
}

/** A personal token's own row names the library it acts on now: "Pat — on Café Zuid". */
function connectionLabel(name: string, personal: TrayPersonal): string {
  return `${displayName(name)} — on ${activeName(personal)}${personal.drifted ? ' (changed outside Larder)' : ''}`
}

/** Lines that cannot be clicked, saying which library the personal token acts on and what copying does. */
function personalLines(personal: TrayLibrary['personal']): MenuNode[] {
  if (!personal) return []
  const token = displayName(personal.connectionName)
  if (personal.role === 'connection') {
    return [
      { type: 'label', label: `Acts on its user's active library: ${activeName(personal)}` },
      ...(personal.drifted ? [{ type: 'label', label: 'Changed outside Larder: open Larder to switch back or keep it' } as const] : []),
      { type: 'separator' }
    ]
  }
  if (personal.isActive) return [{ type: 'label', label: `Active library of ${token}` }, { type: 'separator' }]
  if (personal.drifted) {
    return [
      { type: 'label', label: `${token} is on ${activeName(personal)}, changed outside Larder` },
      { type: 'label', label: 'Open Larder to switch back before copying' },
      { type: 'separator' }
    ]
  }
  return [{ type: 'label', label: `Copying switches ${token} to this library first` }, { type: 'separator' }]
}
