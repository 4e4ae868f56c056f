import { NOT_CONNECTED } from '../../bridge/client.ts'

export function NotConnected(): React.JSX.Element {
  return (
    <div className="notice notice-warning" role="status">
      <strong>Not connected to Larder.</strong> {NOT_CONNECTED.replace(/^Not connected to Larder\. /, '')}
    </div>
  )
}
