// Over the libraries list while this machine is offline from its team (what still works here: copying, from this
// machine's copies; what does not: refreshing, changing; Larder's reason, e.g. a database that holds another team, which
// does not heal by itself), or out of it (since when, Larder's reason, which says what
// became of this machine's copies, and a link to Settings → Team). Loaded only when one of the two
// holds (LibrariesView), so its words cost the page nothing at start. "Settings → Team" opens the Team section and
// puts the focus on its heading once the Settings view has drawn it.
import { useActions, useApp, useNowLabel } from '../../store/provider.tsx'
import { asSentence, clockLabel, TEAM_TITLE_ID } from './team-words.ts'

/** How long "Settings → Team" waits for the Settings view (a chunk of its own) to show the Team section. */
const FOCUS_WAIT_MS = 5_000

/** Focuses the element with this id as soon as it is in the page (now, or once a view loaded later draws it). */
function focusWhenShown(id: string): void {
  const tryFocus = (): boolean => {
    const element = document.getElementById(id)
    element?.focus()
    return element !== null
  }
  if (tryFocus()) return
  const watcher = new MutationObserver(() => {
    if (tryFocus()) watcher.disconnect()
  })
  watcher.observe(document.body, { childList: true, subtree: true })
  setTimeout(() => watcher.disconnect(), FOCUS_WAIT_MS)
}

export default function TeamBanner(): React.JSX.Element | null {
  const team = useApp((state) => state.team)
  const { setView } = useActions()
  const out = team?.membership === 'out'
  const since = (out ? team.out?.since : team?.link.since) ?? null
  const at = useNowLabel((now) => (since === null ? '' : ` since ${clockLabel(since, now)}`))
  if (team === null) return null
  const openTeam = (): void => {
    setView('settings')
    focusWhenShown(TEAM_TITLE_ID)
  }
  const toSettings = (
    <button type="button" className="team-banner-link" onClick={openTeam}>
      Open Settings → Team
    </button>
  )
  if (out) {
    return (
      <section className="banner banner-warning team-banner" aria-label="Team">
        <p>
          <strong>This machine has been out of the team{at}.</strong> {team.out === undefined ? '' : `${asSentence(team.out.why)} `}
          {toSettings}
        </p>
      </section>
    )
  }
  if (team.link.state !== 'offline') return null
  return (
    <section className="banner banner-warning team-banner" aria-label="Team">
      <p>
        <strong>Offline from the team{at}</strong> — copying still works from this machine’s copies; nothing is refreshed or changed until it is back.
        {team.link.reason === null ? ' ' : ` ${asSentence(team.link.reason)} `}
        {toSettings}
      </p>
    </section>
  )
}
