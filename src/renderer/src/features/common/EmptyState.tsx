import { useActions, useApp } from '../../store/provider.tsx'
import './empty-state.css'

export function EmptyState(): React.JSX.Element {
  const connected = useApp((state) => state.connection === 'connected')
  const { openAdd } = useActions()
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No libraries yet</h2>
      <p>
        A <strong>library</strong> is one customer&rsquo;s Apicbase workspace: their recipes, products and outlets. A{' '}
        <strong>token</strong> is the key that lets your software call the Apicbase API for that library. It comes as a pair: an
        access token that works for 7 days, and a refresh token that gets a new one. For each library you connect, Larder keeps its
        client ID and secret and that token pair, encrypted on this computer, and refreshes the access token before it expires.
      </p>
      <p>
        The library&rsquo;s owner creates the token under <em>Library Settings → API Settings</em> (a service account, the best
        choice), or, for your partner application, on their <em>Connected Applications</em> page. Apicbase shows the refresh token
        only once: paste it into Larder right away.
      </p>
      {connected ? (
        <p>
          <button type="button" className="button primary" onClick={openAdd}>
            Add your first library
          </button>
        </p>
      ) : null}
    </section>
  )
}
