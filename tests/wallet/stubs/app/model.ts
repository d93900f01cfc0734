// app/model: the Realm database. No credential is stored yet (so no staged
// credential is a duplicate); rawFrom builds the record the screens
// verify, as app/model/credential.ts does.
let next = 1

export const CredentialRecord = {
  rawFrom({ credential, profileRecordId }: any) {
    const hex = (next++).toString(16).padStart(24, '0')
    return {
      _id: { toHexString: () => hex, toString: () => hex, equals: (o: any) => String(o) === hex },
      createdAt: new Date(),
      updatedAt: new Date(),
      rawCredential: JSON.stringify(credential),
      credential,
      profileRecordId,
    }
  },
  async getAllCredentialRecords() {
    return []
  },
}

export const ProfileRecord = {
  async importProfileRecord() {
    throw new Error('wallet backups are not part of this harness')
  },
}
