// The one list's filters for keys of other systems, beside status and token type: by system (Apicbase is the
// libraries) and by customer (the customers the keys name). Shown only once there are keys.
import { memo, useMemo } from 'react'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { customersOf, isSystem, KEY_SYSTEMS } from '../../lib/key-query.ts'
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
  const keysById = useApp((state) => state.keysById)
  const keyIds = useApp((state) => state.keyIds)
  const system = useApp((state) => state.systemFilter)
  const customer = useApp((state) => state.customerFilter)
  const store = useActions()
  const customers = useMemo(() => customersOf(keyIds.flatMap((id) => keysById[id] ?? [])), [keysById, keyIds])
  const customerOptions = useMemo<readonly SelectOption[]>(
    () => [{ value: ALL_CUSTOMERS, label: 'All customers' }, ...(customer !== null && !customers.includes(customer) ? [customer] : []).concat(customers).map((name) => ({ value: name, label: name }))],
    [customers, customer]
  )
  if (keyIds.length === 0) return null
  return (
    <>
      <InlineSelect id="f-system" label="System" value={system} options={SYSTEM_OPTIONS} onChange={(value) => store.setSystemFilter(isSystem(value) ? value : 'all')} />
      {customers.length > 0 || customer !== null ? (
        <InlineSelect id="f-customer" label="Customer" value={customer ?? ALL_CUSTOMERS} options={customerOptions} onChange={(value) => store.setCustomerFilter(value === ALL_CUSTOMERS ? null : value)} />
      ) : null}
    </>
  )
})
