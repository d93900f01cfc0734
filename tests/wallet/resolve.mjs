// Module resolution for the Learner Credential Wallet code under lcw/,
// registered by lcw.ts (node:module register) before any wallet module
// loads. It does two things and nothing else:
//
// 1. Platform glue is swapped for the files under stubs/: React Native and
//    the native modules (file system, document picker, camera), the UI kit,
//    and the app's storage, navigation and styling modules (STUBS). Every
//    other module the copied files import is the copied file itself, or the
//    npm package the wallet depends on; an import of an LCW file that was
//    neither copied nor stubbed fails, so nothing is silently replaced.
// 2. npm packages are resolved from the folder scripts/install-test-tools
//    installs them into (data.modules), not from the repository.
// 3. react-native-base64 (import.ts decodes files with it) is written as
//    an ES module without declaring so in its package.json; Metro, the
//    app's bundler, takes it as one, and so does this hook. (Node would
//    load it as CommonJS, and import.ts's default import would lack
//    `decode`.)
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lcwRoot = path.join(here, "lcw");
const stubs = path.join(here, "stubs");

// Imports by name: React Native and the native modules and UI packages.
const BARE = {
  "react-native": "react-native.tsx",
  "react-native-elements": "ui-kit.tsx",
  "react-native-paper": "ui-kit.tsx",
  "react-native-gesture-handler": "ui-kit.tsx",
  "react-native-safe-area-context": "ui-kit.tsx",
  "@expo/vector-icons": "ui-kit.tsx",
  "react-native-document-picker": "document-picker.ts",
  "react-native-fs": "fs.ts",
  "react-native-vision-camera": "camera.tsx",
  "@react-navigation/native": "navigation.ts",
  "@react-native-community/hooks": "navigation.ts",
};

// LCW files (repository path, no extension) replaced: the app's database
// (Realm), Redux store, navigation container, global modal, theme and the
// wallet's own keys. Style sheets (*.styles / *.style) all go to one stub.
const STUBS = {
  "app/components": "app/components.tsx",
  "app/components/NavHeader/NavHeader": "app/NavHeader.tsx",
  "app/components/CredentialCard/CredentialCard": "app/CredentialCard.tsx",
  "app/hooks": "app/hooks.ts",
  "app/hooks/useThemeContext": "app/hooks.ts",
  "app/navigation": "app/navigation.ts",
  "app/navigation/navigationRef": "app/navigation.ts",
  "app/store": "app/store.ts",
  "app/store/slices/profile": "app/store.ts",
  "app/store/slices/credentialFoyer": "app/store.ts",
  "app/store/selectorFactories": "app/store.ts",
  "app/store/selectorFactories/makeSelectDidFromProfile": "app/store.ts",
  "app/model": "app/model.ts",
  "app/lib/globalModal": "app/modal.tsx",
  "app/lib/globalModalBody": "app/modal.tsx",
  "app/lib/profile": "app/keys.ts",
  "app/lib/getWasController": "app/keys.ts",
  "app/lib/publicLink": "app/keys.ts",
};

const ES_MODULES_UNDECLARED = new Set(["react-native-base64"]);

const isBare = (s) => !s.startsWith(".") && !s.startsWith("/") && !/^[a-z]+:/.test(s);

let modulesAnchor;

export function initialize(data) {
  // Any file inside the install folder: bare names resolve from there.
  modulesAnchor = pathToFileURL(path.join(data.modules, "..", "anchor.js")).href;
}

export async function resolve(specifier, context, nextResolve) {
  // tsx resolves the stub's own URL, so it is loaded as TypeScript.
  const stub = (file) => nextResolve(pathToFileURL(path.join(stubs, file)).href, context);
  const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : null;
  if (isBare(specifier)) {
    const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
    if (BARE[name]) return stub(BARE[name]);
    // Our own files (the wallet copy, the stubs, the driver) take their
    // packages from the install folder.
    const resolved =
      parent && parent.startsWith(here + path.sep)
        ? await nextResolve(specifier, { ...context, parentURL: modulesAnchor })
        : await nextResolve(specifier, context);
    if (ES_MODULES_UNDECLARED.has(name)) return { ...resolved, format: "module" };
    return resolved;
  }
  if (specifier.startsWith(".") && parent && parent.startsWith(lcwRoot + path.sep)) {
    const target = path.relative(lcwRoot, path.resolve(path.dirname(parent), specifier)).split(path.sep).join("/");
    const key = target.replace(/\.(tsx?|jsx?)$/, "");
    if (STUBS[key]) return stub(STUBS[key]);
    if (/\.styles?$/.test(key)) return stub("app/styles.ts");
  }
  return nextResolve(specifier, context);
}
