// The customer labels Larder already knows, offered as a label field is typed (a <datalist>), so one customer's
// libraries and keys get the same label rather than near misses.
import { selectCustomers } from '../../store/customers.ts'
import { useApp } from '../../store/provider.tsx'

export function CustomerSuggestions({ id }: { readonly id: string }): React.JSX.Element {
  const customers = useApp(selectCustomers)
  return (
    <datalist id={id}>
      {customers.map((customer) => (
        <option key={customer} value={customer} />
      ))}
    </datalist>
  )
}
