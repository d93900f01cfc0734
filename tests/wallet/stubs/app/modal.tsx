// app/lib/globalModal and app/lib/globalModalBody: the app-wide popup,
// recorded (what the user is shown) and closed with its confirm button.
import { harness } from '../state'

export function displayGlobalModal(props: any): Promise<boolean> {
  harness.modals.push(props)
  return Promise.resolve(true)
}
export function clearGlobalModal(): void {}
export function getGlobalModalBody(message: string, _loading = false) {
  return message
}
