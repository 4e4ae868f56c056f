// Team views as Larder sends them (issue 16) and the window over a fake bridge that answers 'team.state' with one, for
// the team component tests: Settings → Team on its own, its confirmations, and what a test showed, unmounted after it.
import type { HTMLElement } from 'happy-dom'
import type { TeamView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { ok } from './estate-fixtures.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { page, render, settle, type Rendered } from './render.ts'

/** The team database as Larder shows it: its password masked. */
export const DATABASE_SHOWN = 'postgresql://larder:***@db.example.com:5432/team'
export const NO_LINK = { state: 'none', since: null, reason: null } as const

export const LOCAL: TeamView = { membership: 'none', name: null, code: null, database: null, members: [], link: NO_LINK }
/** Dana, online, in a team with one other member. */
export const MEMBER: TeamView = {
  membership: 'member',
  name: 'Dana',
  code: null,
  database: DATABASE_SHOWN,
  members: [
    { id: 'm-1', name: 'Dana', you: true },
    { id: 'm-2', name: 'Sam, office laptop', you: false }
  ],
  link: { state: 'online', since: 1, reason: null }
}

/** MEMBER offline from the team database since `since`, for `reason`. */
export function offline(since: number, reason: string): TeamView {
  return { ...MEMBER, link: { state: 'offline', since, reason } }
}

/** MEMBER put out of the team, as Larder shows it: its link reads offline too, since then, for the same reason. */
export function outOfTeam(why: string, since: number): TeamView {
  return { ...MEMBER, membership: 'out', out: { why, since }, link: { state: 'offline', since, reason: why } }
}

let shown: Rendered | null = null

/** Unmounts what the last test showed (each team test file runs it after each test). */
export async function unmountShown(): Promise<void> {
  await shown?.unmount()
  shown = null
}

/** A store over `bridge`, connected as the window connects it, with 'team.state' answering `team` unless the test set it. */
export async function connectedStore(bridge: FakeBridge, team: TeamView): Promise<AppStore> {
  bridge.answers['team.state'] ??= () => ok(team)
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  return store
}

/** Renders `component` over that store; unmountShown takes it down after the test. */
export async function mount(store: AppStore, component: Parameters<typeof render>[1]): Promise<Rendered> {
  shown = await render(store, component)
  return shown
}

const teamSource = '../../../src/renderer/src/features/team/TeamSection.tsx'

/** Settings → Team alone, showing `team`. */
export async function showTeamSection(bridge: FakeBridge, team: TeamView): Promise<{ store: AppStore; view: Rendered }> {
  const store = await connectedStore(bridge, team)
  // Loaded as the Settings view would load it: by its module, at run time (render.ts says why).
  const { TeamSection } = (await import(/* @vite-ignore */ teamSource)) as { TeamSection: Parameters<typeof render>[1] }
  const view = await mount(store, TeamSection)
  await settle()
  return { store, view }
}

/** The open confirmation, or null. */
export function dialog(): HTMLElement | null {
  return page().querySelector('dialog') as HTMLElement | null
}

export function dialogButton(name: string): HTMLElement {
  const found = [...(dialog()?.querySelectorAll('button') ?? [])].find((button) => button.textContent.trim() === name)
  if (!found) throw new Error(`no button "${name}" in the dialog: ${dialog()?.textContent ?? '(no dialog)'}`)
  return found as unknown as HTMLElement
}

/** The words tied to a button by aria-describedby ('' when none). */
export function describedText(button: HTMLElement): string {
  const id = button.getAttribute('aria-describedby') ?? ''
  return id === '' ? '' : (page().getElementById(id)?.textContent ?? '')
}
