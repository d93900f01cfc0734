// UI kits (react-native-elements, react-native-paper, gesture handler,
// safe area, Expo icons): host elements carrying their props, so the
// driver can find a button by its title and press it.
export const Text = 'Text'
export const Button = 'Button'
export const Header = 'Header'
export const TextInput = 'TextInput'
export const ScrollView = 'ScrollView'
export const SafeAreaView = 'SafeAreaView'
export const MaterialIcons = 'MaterialIcons'
export const MaterialCommunityIcons = 'MaterialCommunityIcons'
