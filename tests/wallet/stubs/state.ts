// What the platform stubs record and what the driver sets for them: one
// object shared by the stubs and lcw.ts, reset before every case.
export type Navigation = { name: string; params: any }

export const harness = {
  // navigationRef.navigate(name, params) calls, in order.
  navigations: [] as Navigation[],
  // displayGlobalModal(props) calls: what the user is shown in a popup.
  modals: [] as any[],
  // Redux: the wallet's one profile and the credential foyer (the
  // credentials staged for the user to accept).
  pendingCredentials: [] as any[],
  // react-native Linking 'url' listeners (deepLinkConfig.subscribe).
  urlListeners: [] as Array<(event: { url: string }) => void>,
  // The code scanner's callback (react-native-vision-camera).
  onCodeScanned: null as null | ((codes: any[]) => Promise<void> | void),
  // The file the document picker returns: its path and the content:// URI
  // Android hands the app for it.
  pickedFile: null as null | { path: string; uri: string; name: string },
  // Android content:// URIs the file system stub can copy from.
  contentUris: new Map<string, string>(),
}

export function resetHarness(): void {
  harness.navigations = []
  harness.modals = []
  harness.pendingCredentials = []
  harness.urlListeners = []
  harness.onCodeScanned = null
  harness.pickedFile = null
  harness.contentUris.clear()
}

// The one profile the wallet has (NavigationUtil.selectProfile picks it
// without asking when there is only one).
export const profile = {
  _id: { toHexString: () => '000000000000000000000001', equals: (o: any) => o === profile._id },
  profileName: 'Default',
  didRecordId: 'did-record-1',
}
