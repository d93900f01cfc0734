// react-native-fs on Node's file system: the reads and copies import.ts
// makes. content:// URIs are the ones the document picker stub handed out.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { harness } from './state'

export const TemporaryDirectoryPath = fs.mkdtempSync(path.join(os.tmpdir(), 'lcw-'))

function local(p: string): string {
  return harness.contentUris.get(p) ?? p
}

export async function readFile(p: string, encoding: string = 'utf8'): Promise<string> {
  const bytes = fs.readFileSync(local(p))
  if (encoding === 'base64') return bytes.toString('base64')
  if (encoding === 'utf8') return bytes.toString('utf8')
  throw new Error(`readFile: encoding ${encoding} not stubbed`)
}

export async function exists(p: string): Promise<boolean> {
  return fs.existsSync(local(p))
}

export async function copyFile(from: string, to: string): Promise<void> {
  fs.copyFileSync(local(from), to)
}
