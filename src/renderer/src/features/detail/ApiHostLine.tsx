// The detail page's "API host" line: the host this library's secrets go to, marked when it is not Apicbase's (a
// person confirmed it when the library was added). The host and its kind come from the core's view.
import type { LibraryView } from '../../../../shared/contract.ts'
import '../common/api-host.css'

const NOTE: Readonly<Record<LibraryView['apiHostKind'], string | null>> = {
  apicbase: null,
  loopback: 'this computer',
  other: 'not an Apicbase address; confirmed when added'
}

export function ApiHostLine({ library }: { readonly library: LibraryView }): React.JSX.Element {
  const note = NOTE[library.apiHostKind]
  return (
    <>
      <dt>API host</dt>
      <dd className={`wrap api-host-${library.apiHostKind}`}>
        <span className="mono">{library.apiHost}</span>
        {note !== null ? <span className="api-host-flag">{library.apiHostKind === 'other' ? `⚠ ${note}` : note}</span> : null}
      </dd>
    </>
  )
}
