// Connecting a personal token through OAuth's authorization-code flow: start (the host opens Apicbase's page in the
// system browser), then the pasted code or the loopback answer, or cancel.
import type { LarderCore } from '../../core/larder-core.ts'
import type { OAuthConnected, OAuthStarted, OAuthStartInput } from '../../core/oauth/oauth-service.ts'

export type ConnectPersonalPorts = Pick<LarderCore, 'oauth'> & {
  /** Opens Apicbase's authorization page outside the app (the system browser); absent where there is none. */
  readonly openExternal?: (url: string) => void
}

export async function startConnecting(ports: ConnectPersonalPorts, input: OAuthStartInput): Promise<OAuthStarted> {
  const started = await ports.oauth.start(input)
  ports.openExternal?.(started.authorizeUrl)
  return started
}

export function completeWithCode(ports: ConnectPersonalPorts, flowId: string, code: string): Promise<OAuthConnected> {
  return ports.oauth.complete(flowId, code)
}

export function waitForLoopback(ports: ConnectPersonalPorts, flowId: string): Promise<OAuthConnected> {
  return ports.oauth.wait(flowId)
}

export function cancelConnecting(ports: ConnectPersonalPorts, flowId: string): { readonly cancelled: boolean } {
  return { cancelled: ports.oauth.cancel(flowId) }
}
