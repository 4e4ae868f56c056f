// The Team section's words and the small rules its forms share: which field a refusal from Larder belongs to, how the
// join code is read out, and when a link went offline.

/** The Team section's heading in Settings: the libraries view's team banner ("Settings → Team") brings the focus there. */
export const TEAM_TITLE_ID = 'settings-team-title'

/** The fields of the form that makes or joins a team. */
export type PlaceField = 'url' | 'ca' | 'name'

/**
 * Where Larder's refusal is said: the contract's input names (databaseUrl, caPem, name) and the names the team code
 * uses (teamDatabaseUrl, label); any other ('team', 'teamSchema', none) goes under the form.
 */
export function placeFieldOf(field: string | undefined): PlaceField | 'form' {
  switch (field?.split('.').pop()) {
    case 'databaseUrl':
    case 'teamDatabaseUrl':
      return 'url'
    case 'caPem':
      return 'ca'
    case 'name':
    case 'label':
      return 'name'
    default:
      return 'form'
  }
}

/** The code as a screen reader should say it: one character at a time, the halves apart ("K 7 M 2 Q, 9 X R T A"). */
export function spokenCode(code: string): string {
  return code
    .split('-')
    .map((half) => [...half].join(' '))
    .join(', ')
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "10:42" today, "7 Dec 2026, 10:42" another day. */
export function clockLabel(at: number, now: number): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? timeOfDay.format(at) : dayAndTime.format(at)
}

/** Larder's reason as a sentence of its own: "a member removed this machine" → "A member removed this machine." */
export function asSentence(words: string): string {
  const trimmed = words.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

export const TEAM_WORDS = {
  shareTitle: 'Share with your team',
  share:
    'Your team keeps one set of tokens in a PostgreSQL database it runs. Each token is sealed on a member’s machine before it leaves, so the database sees only ciphertext; the tokens still rotate, and one member at a time refreshes each, so nobody’s copy stops working.',
  shareNote: 'Make a new team on a database that holds no team yet: you are its first member. To join a team, Larder shows a code next, for a member of the team to type in theirs.',
  readOut: 'Read this code to a member of the team; they type it in their Larder. It works for 10 minutes.',
  waiting: 'Waiting for a member to let you in…',
  offline: 'Copies use the tokens saved on this machine; nothing is refreshed until Larder reaches the team database.'
} as const

/** What leaving and ending the team do, said before the person confirms, and what an 'out' machine can do. */
export const ENDING_WORDS = {
  leaveTitle: 'Leave the team?',
  leaveDoes: 'Larder deletes this machine’s copies of the team’s credentials (keys of other systems stay), and this vault is local again. The team keeps the credentials, and the other members’ tokens stay valid.',
  leaveInstead:
    'If this machine might still hold copies elsewhere (a backup, a copied data folder), or it was lost, do not leave: ask a member to remove it instead. Removing refreshes every credential, so any copy left behind stops working.',
  leaveAlone: 'You are the team’s only member: leaving would lose its credentials. Take them home instead.',
  homeTitle: 'Take the credentials home and end the team?',
  homeDoes: 'Every credential comes into this machine’s vault with its newest token pair, and this vault is local again.',
  homeOthers: 'Every other member’s Larder drops its copies and refreshes nothing more: they can no longer copy these tokens.',
  homeDatabase: 'The team database keeps no credential, only empty rows and its audit trail.',
  waiting: 'Waiting for any refresh under way to finish (at most a minute)…',
  needsLink: 'Both need the team database: while this machine is offline from it, Larder refuses them and nothing changes.',
  outKeeps: 'Larder refreshes nothing here any more. A copy this machine still holds works only until it expires, or until the team refreshes it.',
  outLocal: 'Making this vault local deletes this machine’s copies of the team’s credentials. Then you can make a new team or join one.'
} as const

/** What removing a member does, and what it cannot undo, said before the person confirms. */
export function removalWords(name: string): { readonly does: string; readonly untilRefreshed: string; readonly clientSecrets: string; readonly databasePassword: string } {
  return {
    does: `Larder makes a new team key, seals every credential again under it, and refreshes every credential, so the copies on ${name}’s machine stop working at Apicbase.`,
    untilRefreshed: `Until a credential is refreshed, ${name}’s copy of it still works.`,
    clientSecrets: `Client secrets ${name} saw stay valid: ask the library’s owner to regenerate them if that matters.`,
    databasePassword: `Change the team database password ${name} knew.`
  }
}
