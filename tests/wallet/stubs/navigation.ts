// @react-navigation/native and @react-native-community/hooks: the screen is
// focused and the app in the foreground; a focus effect runs like an
// effect.
import { useEffect } from 'react'

export function useFocusEffect(effect: () => void | (() => void)) {
  useEffect(() => effect(), [effect])
}
export const useIsFocused = () => true
export const useAppState = () => 'active'
