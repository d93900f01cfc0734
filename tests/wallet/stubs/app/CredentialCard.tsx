// app/components/CredentialCard/CredentialCard: the credential's display
// (name, issuer, image); verification results are not part of it.
export default 'CredentialCard'
