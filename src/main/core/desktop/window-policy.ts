// The window's rules as plain checks: which URLs are the app's own page, which links may open in the
// person's browser, and what closing the window means.
import { APP_SCHEME } from './app-protocol.ts'

const MAX_EXTERNAL_URL_CHARS = 2048
const APICBASE_DOMAIN = 'apicbase.com'

/**
 * The URL to hand to the browser, or null. Only `https://` on apicbase.com or a subdomain of it, on the default
 * port, without credentials in the URL. The WHATWG parser decides the host, so tricks such as
 * `https://apicbase.com@evil.example` or `https://evil.example\.apicbase.com` resolve to the host they really name.
 */
export function externalUrlToOpen(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_URL_CHARS) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null
  const host = url.hostname
  const onApicbase = host === APICBASE_DOMAIN || (host.endsWith(`.${APICBASE_DOMAIN}`) && !host.startsWith('.') && !host.includes('..'))
  return onApicbase ? url.href : null
}

export function isAllowedExternalUrl(raw: unknown): boolean {
  return externalUrlToOpen(raw) !== null
}

export interface RendererLocation {
  /** The dev server's URL while developing (electron-vite sets ELECTRON_RENDERER_URL); absent in a build. */
  readonly devServerUrl?: string | undefined
  /** The built page on Larder's own scheme (`APP_PAGE_URL`). */
  readonly pageUrl: string
}

/**
 * A check for "this URL is the app's own page": the dev server's origin while developing, otherwise exactly the
 * built page on Larder's scheme (any query or hash). Never a file:// URL: a page from disk is not ours.
 */
export function ownUrlMatcher(location: RendererLocation): (url: string) => boolean {
  if (location.devServerUrl) {
    const dev = parse(location.devServerUrl)
    if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:')) throw new Error('The dev server URL must be an http(s) URL')
    return (url) => parse(url)?.origin === dev.origin
  }
  const page = parse(location.pageUrl)
  if (!page || page.protocol !== `${APP_SCHEME}:`) throw new Error(`The page URL must be a ${APP_SCHEME}:// URL`)
  return (url) => {
    const candidate = parse(url)
    return (
      candidate !== null &&
      candidate.protocol === page.protocol &&
      candidate.username === '' &&
      candidate.password === '' &&
      candidate.host === page.host &&
      candidate.pathname === page.pathname
    )
  }
}

function parse(raw: string): URL | null {
  if (typeof raw !== 'string') return null
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

export type CloseAction = 'hide' | 'close'

/**
 * Closing the window hides it while Larder keeps working in the tray; quitting is explicit (menu, tray, OS).
 * Without a tray there would be no way back to a hidden window, so then the window really closes.
 */
export function closeAction(state: { readonly quitting: boolean; readonly trayAvailable: boolean }): CloseAction {
  return !state.quitting && state.trayAvailable ? 'hide' : 'close'
}
