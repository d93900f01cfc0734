// app/hooks (index) and app/hooks/useThemeContext: theme and styles (style
// names instead of computed styles), Redux dispatch and the foyer, and
// accessibility focus. useVerifyCredential is the wallet's own hook.
import { dispatch } from './store'
import { harness } from '../state'

export { useVerifyCredential } from '../../lcw/app/hooks/useVerifyCredential'

const skip = new Set(['then', '$$typeof', 'toJSON', 'constructor', 'prototype'])
function named(name: string): any {
  return new Proxy(
    {},
    {
      get: (_t, key) => {
        if (key === Symbol.toPrimitive) return () => name
        if (typeof key === 'symbol' || skip.has(key)) return undefined
        return named(`${name}.${key}`)
      },
    },
  )
}
// styles.statusRow === 'statusRow': the driver finds elements by it.
const styles = new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? key : undefined) })
const theme = named('theme')
const mixins = named('mixins')

export function useDynamicStyles(sheet?: unknown) {
  return sheet === undefined ? { theme, mixins } : { styles, theme, mixins }
}
export const useThemeContext = () => ({ theme, isDarkTheme: false, setThemeName() {} })
export const useAppDispatch = () => dispatch
export const useAccessibilityFocus = () => [{ current: null }, () => {}]

export function usePendingCredential(id: string) {
  const pending = harness.pendingCredentials.find((p) => p.id === id)
  if (pending === undefined) throw new Error(`Pending credential with id ${id} does not exist.`)
  return pending
}
