// A member's view of the team: who is in it, the server (named by Larder without its password), whether this machine
// reaches it now, "Let someone in" by the code on the new member's screen, removing a member, and leaving or ending
// the team.
import { useId, useState } from 'react'
import type { TeamMemberView, TeamView } from '../../../../shared/contract.ts'
import { formatAgo } from '../../lib/time.ts'
import { useActions, useNowLabel } from '../../store/provider.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'
import { TeamEnding } from './TeamEnding.tsx'
import { TeamPlaceFacts } from './TeamPlaceFacts.tsx'
import { RemovalProgress, RemoveMemberButton, RemoveMemberDialog } from './TeamRemoval.tsx'
import { clockLabel, TEAM_WORDS } from './team-words.ts'

interface MemberViewProps {
  readonly view: TeamView
  readonly titleId: string
  readonly titleRef: React.RefObject<HTMLHeadingElement | null>
}

export function TeamMembers({ view, titleId, titleRef }: MemberViewProps): React.JSX.Element {
  const membersId = useId()
  const removalTitleId = useId()
  const [removing, setRemoving] = useState<TeamMemberView | null>(null)
  // The button that opened the confirmation goes with the member: the focus goes to the removal's progress instead.
  const focusRemoval = (): void => void setTimeout(() => document.getElementById(removalTitleId)?.focus(), 0)
  return (
    <div className="team-member">
      <h4 id={titleId} ref={titleRef} tabIndex={-1}>
        Your team
      </h4>
      <p>You are in the team as {view.name ?? 'a member'}.</p>
      <dl className="team-facts">
        <TeamPlaceFacts view={view} withName={false} />
        <dt>Link</dt>
        <dd>
          <LinkState link={view.link} />
        </dd>
      </dl>
      <h5 id={membersId}>Members ({view.members.length})</h5>
      <ul className="team-members" aria-labelledby={membersId}>
        {view.members.map((member) => (
          <li key={member.id}>
            <span className="team-member-name">
              {member.name}
              {member.you ? <span className="team-you"> (you)</span> : null}
            </span>
            {member.you ? null : <RemoveMemberButton member={member} onRemove={setRemoving} />}
          </li>
        ))}
      </ul>
      <RemovalProgress removal={view.removal} titleId={removalTitleId} />
      {removing !== null ? <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} onRemoved={focusRemoval} /> : null}
      <LetSomeoneIn />
      <TeamEnding view={view} />
    </div>
  )
}

function LinkState({ link }: { readonly link: TeamView['link'] }): React.JSX.Element {
  const since = link.since
  const ago = useNowLabel((now) => (since === null ? '' : `${clockLabel(since, now)} (${formatAgo(since, now)})`))
  switch (link.state) {
    case 'online':
      return <span className="team-link team-link-online">Online</span>
    case 'connecting':
      return <span className="team-link team-link-connecting">Connecting…</span>
    case 'offline':
      return (
        <span className="team-link-offline-text">
          <span className="team-link team-link-offline">Offline from the team{since === null ? '' : ` since ${ago}`}</span>
          {link.reason !== null ? <span className="team-link-reason">{link.reason}</span> : null}
          <span className="field-help">{TEAM_WORDS.offline}</span>
        </span>
      )
    default:
      return <span className="team-link team-link-none">Not connected yet</span>
  }
}

function LetSomeoneIn(): React.JSX.Element {
  const uid = useId()
  const titleId = `${uid}-title`
  const codeId = `${uid}-code`
  const { teamCall } = useActions()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [admitted, setAdmitted] = useState('')
  const focusCode = (): void => void setTimeout(() => document.getElementById(codeId)?.focus(), 0)

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (busy) return
    setAdmitted('')
    setFormError(null)
    if (code.trim() === '') {
      setError('Type the code shown on the new member’s screen.')
      focusCode()
      return
    }
    setError(null)
    setBusy(true)
    const result = await teamCall('team.approve', { code: code.trim() })
    setBusy(false)
    if (result.ok) {
      setCode('')
      setAdmitted(`${result.value.name} is in the team now.`)
      focusCode()
      return
    }
    if (result.error.field === 'code') {
      setError(result.error.message)
      focusCode()
    } else setFormError(result.error.message)
  }

  return (
    <form className="team-approve" aria-labelledby={titleId} onSubmit={(event) => void submit(event)} noValidate>
      <h5 id={titleId}>Let someone in</h5>
      <p className="field-help">The new member’s Larder shows a code (XXXXX-XXXXX) after they ask to join. Type it here as they read it out.</p>
      <div className="team-approve-row">
        <TextField
          id={codeId}
          label="Code from the new member’s screen"
          error={error}
          inputClass="mono team-code-input"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="characters"
          disabled={busy}
          value={code}
          onChange={(event) => {
            setCode(event.target.value)
            setError(null)
            setFormError(null)
          }}
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          Approve
        </button>
      </div>
      <ErrorText message={formError} glyph />
      <p role="status" className="team-admitted">
        {admitted}
      </p>
    </form>
  )
}
