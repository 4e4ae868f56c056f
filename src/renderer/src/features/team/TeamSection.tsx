// Settings → Team (issue 16): a local vault's way into a team, the code while asking to join, a member's view of the
// team, and a machine that is out of it. Loaded with the Settings view (never at start). Asks 'team.state' when shown; 'team.changed' keeps it
// current, so an approval from a colleague switches the view by itself. When the view changes, the focus goes to its
// heading (unless the person is elsewhere on the page) and a polite line says what happened.
import { useEffect, useId, useRef, useState } from 'react'
import type { TeamView } from '../../../../shared/contract.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { JoinCode } from './JoinCode.tsx'
import { TeamMembers } from './TeamMembers.tsx'
import { TeamOut } from './TeamOut.tsx'
import { TeamPlaceForm } from './TeamPlaceForm.tsx'
import { asSentence, TEAM_TITLE_ID, TEAM_WORDS } from './team-words.ts'
import './team.css'

type Membership = TeamView['membership']

const ANNOUNCED: Readonly<Record<Membership, (view: TeamView) => string>> = {
  none: () => 'This vault is local: it is in no team.',
  joining: () => 'Asked to join the team. Read the code to a member of the team.',
  member: (view) => `You are in the team${view.name === null ? '' : ` as ${view.name}`}.`,
  out: (view) => `This machine is no longer in the team.${view.out === undefined ? '' : ` ${asSentence(view.out.why)}`}`
}

export function TeamSection(): React.JSX.Element {
  const uid = useId()
  const sectionTitleId = TEAM_TITLE_ID
  const viewTitleId = `${uid}-view`
  const team = useApp((state) => state.team)
  const teamError = useApp((state) => state.teamError)
  const { loadTeam } = useActions()
  const sectionRef = useRef<HTMLElement>(null)
  const viewTitleRef = useRef<HTMLHeadingElement>(null)
  const focusedFor = useRef<Membership | null>(null)
  const [shown, setShown] = useState<Membership | null>(null)
  const [announcement, setAnnouncement] = useState('')

  useEffect(() => {
    void loadTeam()
  }, [loadTeam])

  const membership = team?.membership ?? null
  // Said once the membership changes while the section is shown (not for the first answer).
  if (membership !== shown) {
    setShown(membership)
    if (shown !== null && team !== null) setAnnouncement(ANNOUNCED[team.membership](team))
  }
  useEffect(() => {
    const before = focusedFor.current
    focusedFor.current = membership
    if (before === null || membership === null || before === membership) return
    // The control that was used (a button of the view before) is gone: its place is the new view's heading.
    const active = document.activeElement
    if (active === null || active === document.body || sectionRef.current?.contains(active)) viewTitleRef.current?.focus()
  }, [membership])

  return (
    <section className="team-section" aria-labelledby={sectionTitleId} ref={sectionRef}>
      <h3 id={sectionTitleId} tabIndex={-1}>
        Team
      </h3>
      {team === null ? (
        teamError !== null ? (
          <div className="notice notice-error" role="alert">
            {teamError}{' '}
            <button type="button" className="button small" onClick={() => void loadTeam()}>
              Try again
            </button>
          </div>
        ) : (
          <p role="status">Looking at this vault’s team…</p>
        )
      ) : team.membership === 'joining' ? (
        <JoinCode view={team} titleId={viewTitleId} titleRef={viewTitleRef} />
      ) : team.membership === 'member' ? (
        <TeamMembers view={team} titleId={viewTitleId} titleRef={viewTitleRef} />
      ) : team.membership === 'out' ? (
        <TeamOut view={team} titleId={viewTitleId} titleRef={viewTitleRef} />
      ) : (
        <>
          <h4 id={viewTitleId} ref={viewTitleRef} tabIndex={-1}>
            {TEAM_WORDS.shareTitle}
          </h4>
          <p className="team-intro">{TEAM_WORDS.share}</p>
          <TeamPlaceForm titleId={viewTitleId} />
        </>
      )}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </section>
  )
}
