// Two lines of the detail page's metadata about how the token fares at Apicbase: its last health check, and its rate
// limit (with any 429 wait). Rendered inside the metadata list, as term and value pairs.
import type { LibraryView } from '../../../../shared/contract.ts'
import { HealthLine } from './HealthLine.tsx'
import { RateLimitLine } from './RateLimitLine.tsx'
import './api-checks.css'

export function ApiChecks({ library }: { readonly library: LibraryView }): React.JSX.Element {
  return (
    <>
      <dt>Health check</dt>
      <dd>
        <HealthLine library={library} />
      </dd>
      <dt>Rate limit</dt>
      <dd>
        <RateLimitLine library={library} />
      </dd>
    </>
  )
}
