// A held library's row says why Larder holds its refreshes back, in a few words ("moved to FILE", "paused"); the whole
// sentence is its title, and its pane says it in full (HoldNotice). Small: the list's first page carries it.
import type { LibraryHoldView } from '../../../../shared/contract.ts'
import './hold.css'

/** The file's name without its folder (either separator: the path is the machine's). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

export function HoldTag({ hold }: { readonly hold: LibraryHoldView }): React.JSX.Element {
  const words = hold.kind === 'moved' ? `moved${hold.to === null ? '' : ` to ${fileNameOf(hold.to)}`}` : 'paused'
  return (
    <span className={`tag tag-hold tag-hold-${hold.kind}`} title={hold.message}>
      {words}
    </span>
  )
}
