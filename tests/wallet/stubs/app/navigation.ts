// app/navigation and app/navigation/navigationRef: the navigation
// container is always ready; every navigate() is recorded for the driver,
// which renders the screen it names itself.
import { harness } from '../state'

export const navigationRef = {
  isReady: () => true,
  canGoBack: () => false,
  goBack() {},
  navigate(name: string, params?: any) {
    harness.navigations.push({ name, params })
  },
}
