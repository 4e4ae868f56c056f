// The one list's filters beside status and token type: by system (Apicbase is the libraries), shown once there are
// keys, and by customer (the labels the libraries and keys carry), shown once any carries one.
import { memo, useMemo } from 'react'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { isSystem, KEY_SYSTEMS } from '../../lib/key-query.ts'
import { selectCustomers } from '../../store/customers.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { InlineSelect, type SelectOption } from '../common/InlineSelect.tsx'

const SYSTEM_OPTIONS: readonly SelectOption[] = [
  { value: 'all', label: 'All systems' },
  { value: 'apicbase', label: SYSTEM_LABEL.apicbase },
  ...KEY_SYSTEMS.map((system) => ({ value: system, label: SYSTEM_LABEL[system] }))
]
/** No customer label can be empty, so '' stands for every customer. */
const ALL_CUSTOMERS = ''

export const KeyFilters = memo(function KeyFilters(): React.JSX.Element | null {
  const withKeys = useApp((state) => state.keyIds.length > 0)
  const system = useApp((state) => state.systemFilter)
  const customer = useApp((state) => state.customerFilter)
  const customers = useApp(selectCustomers)
  const store = useActions()
  const customerOptions = useMemo<readonly SelectOption[]>(
    () => [{ value: ALL_CUSTOMERS, label: 'All customers' }, ...(customer !== null && !customers.includes(customer) ? [customer] : []).concat(customers).map((name) => ({ value: name, label: name }))],
    [customers, customer]
  )
  return (
    <>
      {withKeys ? <InlineSelect id="f-system" label="System" value={system} options={SYSTEM_OPTIONS} onChange={(value) => store.setSystemFilter(isSystem(value) ? value : 'all')} /> : null}
      {customers.length > 0 || customer !== null ? (
        <InlineSelect id="f-customer" label="Customer" value={customer ?? ALL_CUSTOMERS} options={customerOptions} onChange={(value) => store.setCustomerFilter(value === ALL_CUSTOMERS ? null : value)} />
      ) : null}
    </>
  )
})
