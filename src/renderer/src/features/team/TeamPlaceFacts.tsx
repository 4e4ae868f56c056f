// The facts every team state shows in its list (joining, member, out): the team database as Larder shows it (its
// password as ***) and, where it says, this machine's name in the team. A fragment: each list adds its own facts.
import type { TeamView } from '../../../../shared/contract.ts'

export function TeamPlaceFacts({ view, withName = true }: { readonly view: Pick<TeamView, 'database' | 'name'>; readonly withName?: boolean }): React.JSX.Element {
  return (
    <>
      <dt>Team database</dt>
      <dd>
        <code className="mono">{view.database ?? '—'}</code>
      </dd>
      {withName ? (
        <>
          <dt>Your name in the team</dt>
          <dd>{view.name ?? '—'}</dd>
        </>
      ) : null}
    </>
  )
}
