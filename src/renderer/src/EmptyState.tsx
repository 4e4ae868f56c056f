export function EmptyState(): React.JSX.Element {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No libraries yet</h2>
      <p>
        A <strong>library</strong> is one customer&rsquo;s Apicbase workspace. For each library you connect, Larder keeps
        its client ID and secret and the token pair the library owner generated for you, encrypted, and refreshes the
        access token before its 7-day expiry.
      </p>
      <p>
        The owner creates a token under <em>Library Settings → API Settings</em>, or for a partner application under{' '}
        <em>Connected Applications → Manage tokens</em>. The refresh token is shown only once: paste it into Larder right
        away.
      </p>
    </section>
  )
}
