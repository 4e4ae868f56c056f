// The audit view's member filter in a team (issue 16): the members Larder lists now, and anyone an entry shown names
// who is not among them (removed, or let in since the list was read). Pure.
import type { AuditEntryView, TeamView } from '../../../../shared/contract.ts'
import type { SelectOption } from '../common/InlineSelect.tsx'

/** What the member cell says of an entry's writer; an entry without one is this machine's own (read offline). */
export function memberLabel(entry: AuditEntryView, team: TeamView | null): string {
  if (entry.member === undefined) return 'This machine'
  const listed = team?.members.find((member) => member.id === entry.member?.id)
  const name = entry.member.name ?? listed?.name ?? 'A member no longer in the team'
  return listed?.you === true ? `${name} (you)` : name
}

export function memberOptions(team: TeamView | null, entries: readonly AuditEntryView[], chosen: string): SelectOption[] {
  const options = new Map<string, string>()
  for (const member of team?.members ?? []) options.set(member.id, member.you ? `${member.name} (you)` : member.name)
  for (const entry of entries) if (entry.member !== undefined && !options.has(entry.member.id)) options.set(entry.member.id, entry.member.name ?? 'A former member')
  if (chosen !== '' && !options.has(chosen)) options.set(chosen, 'A former member')
  return [{ value: '', label: 'All members' }, ...[...options].map(([value, label]) => ({ value, label }))]
}
