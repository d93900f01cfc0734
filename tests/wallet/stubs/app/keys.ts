// app/lib/profile, app/lib/getWasController and app/lib/publicLink: the
// wallet's own DID keys (from the device keychain), its Wallet Attached
// Storage signer and the public links it stored there. An offer of
// credentials is never signed by the wallet, so no keys are needed, and a
// credential just offered has no public link.
export async function profileWithSigners({ profileName, loadCredentials }: any) {
  return { name: profileName, did: 'did:key:z6MkwalletHarnessProfile', signers: {}, loadCredentials }
}
export async function signersFromKey() {
  return {}
}
export async function getWasController() {
  return {}
}
export async function hasPublicLink() {
  return false
}
