// Runs the Learner Credential Wallet's own import and verification code
// (the files under lcw/, copied verbatim; see README.md) against a built
// accolade site, offline.
//
// Usage:
//   LCW_NODE_MODULES=target/node/lcw/node_modules \
//   target/node/lcw/node_modules/.bin/tsx --tsconfig tests/wallet/tsconfig.json \
//     tests/wallet/lcw.ts PUBLIC_DIR BASE_URL CASES_JSON
//
// CASES_JSON: [{name, kind, input, registries?}] where kind is
//   "scan"     input is the text a QR code holds: AddScreen's "Scan QR code"
//              opens QRScreen, whose code scanner reads it;
//   "deeplink" input is the URL the phone hands the app: the listener
//              deepLinkConfig subscribes to Linking gets it, and the
//              ExchangeCredentials screen it opens is accepted ("Yes");
//   "file"     input is a file path: AddScreen's "Add from file", with the
//              document picker returning that file (Android, content://).
// registries: "unreachable" refuses the list of known DID registries too
// (below), to see how the wallet takes that.
// Each credential the flow stages is opened in ApproveCredentialScreen
// (the preview, which verifies it with the wallet's useVerifyCredential and
// lists the checks in VerificationStatusCard), and the status badge its
// card shows (CredentialStatusBadges) is read.
//
// Prints one JSON line per case:
//   {name, imported, error, credentials: [{id, name, verdict}], refused,
//    offline, served}
// verdict: {badge ("Verified", "Warning" or "Not Verified"), format,
//   signature, issuer_registry, revocation, expiration ({status:
//   positive|warning|negative, message} as the VerificationStatusCard rows
//   show them), error (the card's "Error: …" instead of rows),
//   links_disabled (the preview's "Links disabled - unrecognized issuer"),
//   log (the verification log the rows are drawn from)}.
// refused: URLs the wallet asked for that are not under BASE_URL (answered
// with React Native's network error). offline: URLs answered with an empty
// result: the list of known DID registries validate.ts fetches before
// every verification (an empty list, so no registry is consulted).
// served: "STATUS content-type URL" of every request the site answered.
import fs from 'node:fs'
import path from 'node:path'
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'

const [publicDir, baseUrl, casesFile] = process.argv.slice(2)
const modules = process.env.LCW_NODE_MODULES
if (!publicDir || !baseUrl || !casesFile || !modules) {
  console.error('usage: LCW_NODE_MODULES=… tsx lcw.ts PUBLIC_DIR BASE_URL CASES_JSON')
  process.exit(2)
}
const base = baseUrl.replace(/\/$/, '')

// ---- The network: the built site, as a host serving public/_headers -----

type Rule = { pattern: string; headers: Array<[string, string]> }

function parseHeaders(text: string): Rule[] {
  const rules: Rule[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    if (!/^[ \t]/.test(line)) rules.push({ pattern: line.trim(), headers: [] })
    else if (rules.length && line.includes(':')) {
      const at = line.indexOf(':')
      rules[rules.length - 1].headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()])
    }
  }
  return rules
}

// `*` matches any run of characters, slashes included (as on hosts).
function globMatch(pattern: string, p: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
  return re.test(p)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
}

const headerRules = parseHeaders(fs.readFileSync(path.join(publicDir, '_headers'), 'utf8'))
const KNOWN_REGISTRIES = 'https://digitalcredentials.github.io/dcc-known-registries/known-did-registries.json'

const net = { refused: [] as string[], offline: [] as string[], served: [] as string[], registryList: true }

function fromSite(url: string): Response {
  let urlPath = new URL(url).pathname
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    decoded = urlPath
  }
  let file = path.join(publicDir, decoded)
  const inside = path.relative(publicDir, file)
  if (inside.startsWith('..') || path.isAbsolute(inside)) file = ''
  else if (decoded.endsWith('/') || (fs.existsSync(file) && fs.statSync(file).isDirectory())) file = path.join(file, 'index.html')
  let status = 200
  if (!file || !fs.existsSync(file)) {
    status = 404
    file = path.join(publicDir, '404.html')
    urlPath = '/404.html'
  }
  const headers = new Headers({ 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
  // Rules in file order; a later rule's header replaces an earlier one's
  // (as `accolade serve` does).
  for (const rule of headerRules) {
    if (globMatch(rule.pattern, urlPath)) for (const [n, v] of rule.headers) headers.set(n, v)
  }
  const body = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.from('not found')
  net.served.push(`${status} ${headers.get('content-type')} ${url}`)
  return new Response(body, { status, headers })
}

globalThis.fetch = async (input: any, _init?: any) => {
  const url: string = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  if (url === base || url.startsWith(base + '/')) return fromSite(url)
  if (url === KNOWN_REGISTRIES && net.registryList) {
    net.offline.push(url)
    return new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } })
  }
  net.refused.push(url)
  // What React Native's fetch throws without a network.
  throw new TypeError('Network request failed')
}

// ---- The wallet's modules (after fetch is replaced) ----------------------

register(pathToFileURL(path.join(import.meta.dirname, 'resolve.mjs')), {
  parentURL: import.meta.url,
  data: { modules: path.resolve(modules) },
})

// The wallet logs freely (whole credentials, verification results); its
// console goes to a buffer, reported for cases that fail, and stdout keeps
// only our JSON lines.
const logged: string[] = []
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[level] = (...args: any[]) => {
    const text = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : safeJson(a))).join(' ')
    logged.push(`${level}: ${text.slice(0, 400)}`)
  }
}
function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

;(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true
const React = (await import('react')).default
const TestRenderer = (await import('react-test-renderer')).default
const { act } = React as any
const { harness, resetHarness } = await import('./stubs/state.ts')
const lcw = (p: string) => import(`./lcw/app/${p}`)
const { default: AddScreen } = await lcw('screens/AddScreen/AddScreen.tsx')
const { default: QRScreen } = await lcw('screens/QRScreen/QRScreen.tsx')
const { default: ExchangeCredentials } = await lcw('screens/ExchangeCredentials/ExchangeCredentials.tsx')
const { default: ApproveCredentialScreen } = await lcw('screens/ApproveCredentialScreen/ApproveCredentialScreen.tsx')
const { default: CredentialStatusBadges } = await lcw('components/CredentialStatusBadges/CredentialStatusBadges.tsx')
const { default: VerificationStatusCard } = await lcw('components/VerificationStatusCard/VerificationStatusCard.tsx')
const { deepLinkConfig } = await lcw('lib/deepLinkConfig.ts')
const { DidRegistryContext, loadKnownDidRegistries } = await lcw('init/registries.ts')

const h = React.createElement
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const navigation = { goBack() {}, navigate() {}, canGoBack: () => false }

async function render(element: any) {
  let renderer: any
  await act(async () => {
    renderer = TestRenderer.create(element)
  })
  return renderer
}

// The credential record ApproveCredentialScreen made (and verified).
function recordOf(preview: any) {
  return preview.root.findByType('CredentialCard').props.rawCredentialRecord
}

function text(node: any): string {
  if (node === null || node === undefined || typeof node === 'boolean') return ''
  if (typeof node === 'string' || typeof node === 'number') return String(node)
  return (node.children ?? []).map(text).join('')
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

// ---- App start: the known issuer registries (useAppLoading) --------------

// The app loads its DID registries into the DidRegistryContext client once
// it starts; offline, every registry fails to load and the client stays
// empty (issuer-registry-client logs and carries on).
let registries: any
await render(
  h(() => {
    registries = React.useContext(DidRegistryContext)
    return null
  }),
)
await loadKnownDidRegistries({ client: registries })
process.stderr.write(`lcw: app start: registries refused (offline): ${net.refused.join(' ')}\n`)

// ---- The flows ------------------------------------------------------------

function lastNavigation(name: string) {
  return [...harness.navigations].reverse().find((n) => n.name === name)
}

async function scan(text: string): Promise<string | null> {
  const add = await render(h(AddScreen))
  const button = add.root.findByProps({ title: 'Scan QR code' })
  await act(async () => button.props.onPress())
  const opened = lastNavigation('QRScreen')
  if (!opened) return 'the Scan QR code button did not open the scanner'
  const qr = await render(h(QRScreen, { navigation, route: { params: opened.params } }))
  if (!harness.onCodeScanned) return 'the scanner is not reading codes'
  await act(async () => {
    await harness.onCodeScanned!([{ type: 'qr', value: text }])
  })
  // QRScreen shows an error in its modal, titled with the message.
  const modal = qr.root.findAllByType('ConfirmModal').find((m: any) => m.props.open)
  return modal ? modal.props.title : null
}

async function file(p: string): Promise<string | null> {
  const name = path.basename(p)
  const uri = `content://com.android.providers.downloads.documents/document/${encodeURIComponent(name)}`
  harness.contentUris.set(uri, path.resolve(p))
  harness.pickedFile = { path: p, uri, name }
  const add = await render(h(AddScreen))
  const button = add.root.findByProps({ title: 'Add from file' })
  await act(async () => {
    await button.props.onPress()
  })
  const modal = harness.modals.find((m) => m.title === 'Unable to Add Credentials')
  return modal ? `${modal.title}: ${modal.body}` : null
}

async function deeplink(url: string): Promise<string | null> {
  // deepLinkConfig's own listener handles the link; it also passes the URL
  // on to React Navigation's (path-based screens, none of them an import).
  const unsubscribe = deepLinkConfig.subscribe(() => {})
  try {
    for (const listener of [...harness.urlListeners]) listener({ url })
  } catch (err) {
    return `the link handler threw ${errorText(err)}`
  } finally {
    unsubscribe()
  }
  const opened = lastNavigation('ExchangeCredentialsNavigation')
  if (!opened) return 'the link opened no screen'
  const screen = await render(h(ExchangeCredentials, { route: { params: opened.params.params } }))
  const modal = screen.root.findAllByType('ConfirmModal').find((m: any) => m.props.title === 'Incoming Message')
  if (!modal) return 'no "Incoming Message" prompt'
  let error: string | null = null
  await act(async () => {
    try {
      await modal.props.onConfirm()
    } catch (err) {
      error = errorText(err)
    }
  })
  return error
}

// ---- Verification as the wallet shows it ---------------------------------

const ROWS = ['format', 'signature', 'issuer_registry', 'revocation', 'expiration']

async function verdictFor(pending: any) {
  const preview = await render(
    h(ApproveCredentialScreen, {
      navigation,
      route: { params: { pendingCredentialId: pending.id, profileRecordId: pending.profileRecordId } },
    }),
  )
  let card: any
  for (let waited = 0; ; waited += 25) {
    card = preview.root.findAllByType(VerificationStatusCard)[0]
    if (card && !card.props.verifyPayload.loading) break
    if (waited > 60000) throw new Error('verification did not finish in 60 s')
    await act(async () => sleep(25))
  }
  const payload = card.props.verifyPayload
  const rows = card.findAll((n: any) => n.type === 'View' && n.props.style === 'statusRow')
  const verdict: any = {}
  rows.forEach((row: any, i: number) => {
    const icon = row.findAll((n: any) => n.type === 'MaterialIcons')[0]
    const status = icon ? { 'check-circle': 'positive', cancel: 'negative' }[icon.props.name as string] : 'warning'
    const message = row.findAll((n: any) => n.type === 'Text' && n.props.style === 'statusText')[0]
    verdict[ROWS[i] ?? `row${i}`] = { status, message: message ? text(message) : null }
  })
  const errorNode = card.findAll((n: any) => n.type === 'Text' && text(n).startsWith('Error: '))[0]
  verdict.error = errorNode ? text(errorNode) : null
  verdict.links_disabled = preview.root.findAll((n: any) => n.type === 'Text' && text(n).includes('Links disabled')).length > 0
  verdict.log = (payload.result.log ?? []).map((e: any) => ({
    id: e.id,
    valid: e.valid,
    ...(e.error ? { error: e.error.name ?? String(e.error) } : {}),
  }))
  // The status badge the credential's card shows (CredentialCard renders
  // CredentialStatusBadges for the record; the card itself is stubbed).
  const badges = await render(
    h(CredentialStatusBadges, { rawCredentialRecord: recordOf(preview), badgeBackgroundColor: 'white' }),
  )
  for (let waited = 0; ; waited += 25) {
    const labels = badges.root.findAll((n: any) => n.type === 'Text').map(text)
    if (!labels.includes('Verifying')) {
      verdict.badge = labels.join(', ')
      break
    }
    if (waited > 60000) throw new Error('the status badge did not settle in 60 s')
    await act(async () => sleep(25))
  }
  preview.unmount()
  badges.unmount()
  return verdict
}

// ---- The cases -------------------------------------------------------------

const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'))
for (const c of cases) {
  resetHarness()
  net.refused = []
  net.offline = []
  net.served = []
  net.registryList = c.registries !== 'unreachable'
  logged.length = 0
  let error: string | null
  try {
    if (c.kind === 'scan') error = await scan(c.input)
    else if (c.kind === 'deeplink') error = await deeplink(c.input)
    else if (c.kind === 'file') error = await file(c.input)
    else throw new Error(`unknown kind ${c.kind}`)
  } catch (err) {
    error = `harness: ${errorText(err)}`
  }
  // Imported: the credentials staged for the user, with the foyer
  // (ApproveCredentialsScreen) opened on them.
  const staged = lastNavigation('AcceptCredentialsNavigation') ? harness.pendingCredentials : []
  const credentials = []
  for (const pending of staged) {
    let verdict: any
    try {
      verdict = await verdictFor(pending)
    } catch (err) {
      verdict = { harness_error: errorText(err) }
    }
    credentials.push({ id: pending.credential?.id ?? null, name: pending.credential?.name ?? null, verdict })
  }
  const failed = staged.length === 0 || credentials.some((c) => c.verdict.error || c.verdict.harness_error)
  const line = {
    name: c.name,
    imported: staged.length,
    error,
    credentials,
    refused: [...new Set(net.refused)],
    offline: [...new Set(net.offline)],
    served: [...new Set(net.served)],
    ...(failed ? { console: logged.slice(0, 40) } : {}),
  }
  process.stdout.write(JSON.stringify(line) + '\n')
}
process.exit(0)
