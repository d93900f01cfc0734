// react-native: host components are plain element names (React renders
// them into the test renderer's tree), and the native APIs the copied
// screens call. Platform is Android.
import { harness } from './state'

export const View = 'View'
export const Text = 'Text'
export const ScrollView = 'ScrollView'
export const TouchableOpacity = 'TouchableOpacity'
export const TouchableWithoutFeedback = 'TouchableWithoutFeedback'
export const FlatList = 'FlatList'
export const Modal = 'Modal'
export const Image = 'Image'
export const TextInput = 'TextInput'
export const Pressable = 'Pressable'
export const ActivityIndicator = 'ActivityIndicator'

export const Platform = {
  OS: 'android',
  select: (o: any) => ('android' in o ? o.android : o.default),
}

export const Linking = {
  addEventListener(type: string, listener: (event: { url: string }) => void) {
    if (type === 'url') harness.urlListeners.push(listener)
    return {
      remove() {
        harness.urlListeners = harness.urlListeners.filter((l) => l !== listener)
      },
    }
  },
  getInitialURL: async () => null,
  openURL: async () => {},
  canOpenURL: async () => false,
}

export const AccessibilityInfo = { announceForAccessibility() {} }

export const AppState = {
  currentState: 'active',
  addEventListener: () => ({ remove() {} }),
}

export const StyleSheet = {
  create: (styles: any) => styles,
  flatten: (style: any) => style,
  absoluteFillObject: {},
}

export const useWindowDimensions = () => ({ width: 390, height: 844, scale: 3, fontScale: 1 })
export const LogBox = { ignoreLogs() {} }
