// Every *.styles / *.style module: the hooks stub hands screens style
// names instead of computed style sheets, so these are never called.
export default function dynamicStyleSheet() {
  return {}
}
