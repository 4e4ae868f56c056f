// Which library a terminal means by LIB: its Larder id, else its Apicbase library id, else its name (exactly, any
// case), else the one name that starts with it. None, or several, is an error listing what it could have meant, so
// the command can print the candidates instead of guessing.
import type { LibraryCandidate } from '../../../shared/terminal-words.ts'

/** The fields a match reads. */
export interface Findable {
  readonly id: string
  readonly name: string
  readonly apicbaseLibraryId: string | null
}

/** How many candidates an error carries at most. */
export const MAX_CANDIDATES = 10

export class LibraryChoiceError extends Error {
  override readonly name = 'LibraryChoiceError'
  readonly candidates: readonly LibraryCandidate[]

  constructor(message: string, candidates: readonly LibraryCandidate[]) {
    super(message)
    this.candidates = candidates
  }
}

export function findLibrary<L extends Findable>(libraries: readonly L[], wanted: string): L {
  const byId = libraries.find((library) => library.id === wanted)
  if (byId) return byId
  const steps: readonly ((library: L, lower: string) => boolean)[] = [
    (library) => library.apicbaseLibraryId === wanted,
    (library, lower) => library.name.toLowerCase() === lower,
    (library, lower) => library.name.toLowerCase().startsWith(lower)
  ]
  const lower = wanted.toLowerCase()
  for (const matches of steps) {
    const found = libraries.filter((library) => matches(library, lower))
    if (found.length === 1 && found[0]) return found[0]
    if (found.length > 1) {
      const listed = found.slice(0, MAX_CANDIDATES).map(candidateOf)
      throw new LibraryChoiceError(`"${shown(wanted)}" matches ${found.length} libraries; name one by its id.`, listed)
    }
  }
  throw new LibraryChoiceError(`No library matches "${shown(wanted)}".`, nearest(libraries, lower).map(candidateOf))
}

function candidateOf(library: Findable): LibraryCandidate {
  return { id: library.id, name: library.name, apicbaseLibraryId: library.apicbaseLibraryId ?? '' }
}

/** The names most like what was typed: those containing it first, then by shared letter pairs (cheap at 10,000). */
function nearest<L extends Findable>(libraries: readonly L[], lower: string): L[] {
  const wantedPairs = pairsOf(lower)
  const scored = libraries.map((library) => {
    const name = library.name.toLowerCase()
    const score = name.includes(lower) ? 2 : likeness(wantedPairs, pairsOf(name))
    return { library, score }
  })
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.library.name.localeCompare(b.library.name))
    .slice(0, MAX_CANDIDATES)
    .map((entry) => entry.library)
}

function pairsOf(text: string): Map<string, number> {
  const pairs = new Map<string, number>()
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text.slice(i, i + 2)
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1)
  }
  return pairs
}

/** Dice's coefficient over letter pairs: 0 (nothing shared) to 1 (the same). */
function likeness(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0
  let total = 0
  for (const count of a.values()) total += count
  for (const count of b.values()) total += count
  for (const [pair, count] of a) shared += Math.min(count, b.get(pair) ?? 0)
  return total === 0 ? 0 : (2 * shared) / total
}

/** What was typed, shortened for a message. */
function shown(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
