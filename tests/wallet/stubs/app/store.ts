// app/store and the slices and selectors the copied code takes from it
// (Redux and the Realm-backed records): one profile, and a credential
// foyer that stages the credentials the user is offered, each pending
// (nothing is stored yet, so none is a duplicate).
import { harness, profile } from '../state'

const state = {
  get credentialFoyer() {
    return { pendingCredentials: harness.pendingCredentials, selectedExchangeCredentials: [] }
  },
}

export function dispatch(action: any): any {
  if (typeof action === 'function') return action(dispatch, () => state)
  return action
}

const store = { getState: () => state, dispatch, subscribe: () => () => {} }
export default store

export const selectRawProfileRecords = () => [profile]

export const ApprovalStatus = { Pending: 0, PendingDuplicate: 1, Accepted: 2, Rejected: 3, Errored: 4 }

let next = 1
export function stageCredentialsForProfile({ credentials, profileRecordId }: any) {
  return async () => {
    const pendingCredentials = credentials.map((credential: any) => ({
      id: `pending-${next++}`,
      status: ApprovalStatus.Pending,
      credential,
      profileRecordId,
    }))
    harness.pendingCredentials = pendingCredentials
    return { payload: { pendingCredentials } }
  }
}
export const selectPendingCredentials = () => harness.pendingCredentials
export const clearSelectedExchangeCredentials = () => ({ type: 'clearSelectedExchangeCredentials' })
export const selectExchangeCredentials = (s: any) => ({ type: 'selectExchangeCredentials', payload: s })

export function selectWithFactory(factory: any, props: any) {
  return factory()(state, props)
}
export const makeSelectDidFromProfile = () => () => ({
  _id: 'did-record-1',
  didDocument: { id: 'did:key:z6MkwalletHarnessProfile' },
  verificationKey: {},
})
