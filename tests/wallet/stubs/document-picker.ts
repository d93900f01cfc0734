// react-native-document-picker: the user picks the file the driver set.
// On Android the picker returns a content:// URI, which import.ts copies
// into the temporary directory with react-native-fs before reading it.
import { harness } from './state'

export default {
  types: { allFiles: '*/*' },
  async pickSingle(_options: any) {
    const file = harness.pickedFile
    if (!file) throw new Error('User canceled document picker')
    return { uri: file.uri, name: file.name, fileCopyUri: null, type: null, size: null }
  },
}
