import { EmptyState } from './EmptyState.tsx'

export function App(): React.JSX.Element {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Larder</h1>
        <p className="tagline">Apicbase tokens for every customer library, fresh and one click away.</p>
      </header>
      <main>
        <EmptyState />
      </main>
    </div>
  )
}
