// react-native-vision-camera: a back camera with permission granted, whose
// code scanner hands the driver its callback (QRScreen's onRead).
import React from 'react'
import { harness } from './state'

export function Camera(props: any) {
  return React.createElement('Camera', props)
}
Camera.getCameraPermissionStatus = () => 'granted'
Camera.requestCameraPermission = async () => 'granted'

export function useCameraDevice(_position: string) {
  return { id: 'back', position: 'back' }
}
export function useCameraFormat() {
  return undefined
}
export function useCodeScanner(options: { onCodeScanned: (codes: any[]) => any }) {
  harness.onCodeScanned = options.onCodeScanned
  return options
}
