import React, { useLayoutEffect, useState, useRef } from 'react'
import { Text } from 'react-native-elements'
import { AppState } from 'react-native'
import { ConfirmModal } from '../../components'
import { useAppDispatch, useDynamicStyles } from '../../hooks'
import { navigationRef } from '../../navigation/navigationRef'
import { selectWithFactory } from '../../store/selectorFactories'
import { makeSelectDidFromProfile } from '../../store/selectorFactories/makeSelectDidFromProfile'
import { stageCredentialsForProfile } from '../../store/slices/credentialFoyer'
import { processMessageChain, sendToExchanger } from '../../lib/exchanges'
import { isDIDAuthOnlyRequest } from '../../lib/walletRequestApi'
import { displayGlobalModal, clearGlobalModal } from '../../lib/globalModal'
import { getGlobalModalBody } from '../../lib/globalModalBody'
import { NavigationUtil } from '../../lib/navigationUtil'
import { delay } from '../../lib/time'
import { ExchangeCredentialsProps } from './ExchangeCredentials.d'
import { HumanReadableError } from '../../lib/error'
import { useThemeContext } from '../../hooks/useThemeContext'

import { profileWithSigners } from '../../lib/profile'
import { CredentialRecord } from '../../model'
import { getWasController } from '../../lib/getWasController'

export default function ExchangeCredentials({
  route
}: ExchangeCredentialsProps): React.ReactElement {
  const { params } = route
  const { message } = params
  const isDIDAuthOnly = isDIDAuthOnlyRequest(message)

  const { theme } = useThemeContext()
  const dispatch = useAppDispatch()
  const { mixins } = useDynamicStyles()

  const [coldStart, setColdStart] = useState(true)
  const appState = useRef(AppState.currentState)

  useLayoutEffect(() => {
    const subscription = AppState.addEventListener('change', (nextAppState) => {
      //use AppState to determine if app is cold launched or not
      if (appState.current === null || nextAppState === 'background') {
        //if cold launch, auto-open the modal
        setColdStart(true)
      }
      appState.current = nextAppState
    })

    return () => {
      subscription.remove()
    }
  }, [])

  const confirmZcapRequest = async () => {
    const confirmed = await displayGlobalModal({
      title: 'Storage Access Request',
      confirmText: 'Grant',
      cancelOnBackgroundPress: true,
      body: (
        <Text style={{ color: theme.color.textPrimary }}>
          Something is requesting storage access.
        </Text>
      )
    })
    return confirmed
  }

  /**
   * Called when user confirms Yes to the 'Incoming Message' modal below.
   * Param (from above):
   * - message {WalletApiMessage} - an offer or a request, see below
   *
   * Example offer shape:
   * { verifiablePresentation }
   *
   * Example request shapes:
   * { credentialRequestOrigin, protocols }
   * { verifiablePresentationRequest: { query } }
   * { issueRequest: { credential } }
   */
  const acceptExchange = async () => {
    setColdStart(false)
    // Short circuit unsupported IssueRequest
    if ('issueRequest' in message) {
      throw new HumanReadableError('Issue/signing requests not supported yet.')
    }
    try {
      await runExchange()
    } catch (err) {
      clearGlobalModal()
      throw err
    }
  }

  const runExchange = async () => {
    console.log(
      '[acceptExchange] Processing message:',
      JSON.stringify(message, null, 2)
    )

    const { credentialRequestOrigin } = message
    console.log(
      '[acceptExchange] credentialRequestOrigin (self-asserted):',
      credentialRequestOrigin
    )

    let requestOrOffer, exchangeUrl
    // If this is an Exchange Invitation, send the initial POST {}
    //   to get back either a request or an offer
    if ('protocols' in message) {
      exchangeUrl = message.protocols?.vcapi
      if (exchangeUrl === undefined) {
        throw new HumanReadableError(
          'Only the "vcapi" protocol is supported currently.'
        )
      }
      // Start the exchange - initial POST {}
      const initialResponse = await await sendToExchanger({
        exchangeUrl,
        payload: {}
      })
      console.log(
        `Initial exchange response from "${exchangeUrl}":`,
        JSON.stringify(initialResponse, null, 2)
      )
      requestOrOffer = initialResponse
      // Now that we know the exchange type, show a type-specific confirmation
      if (isDIDAuthOnlyRequest(requestOrOffer)) {
        const confirmed = await displayGlobalModal({
          title: 'DID Authentication Request',
          confirmText: 'Continue',
          cancelText: 'Cancel',
          cancelOnBackgroundPress: true,
          body: getGlobalModalBody(
            'An organization is requesting DID Authentication.'
          )
        })
        if (!confirmed) {
          navigationRef.navigate('HomeNavigation', {
            screen: 'CredentialNavigation',
            params: { screen: 'HomeScreen' }
          })
          return
        }
      }
    } else {
      exchangeUrl = message.redirectUrl
      requestOrOffer = message
    }

    // Regardless if request is an offer or a request, select profile
    const isVPRFlow = 'verifiablePresentationRequest' in requestOrOffer
    const isDIDAuthOnly = isDIDAuthOnlyRequest(requestOrOffer)
    const rawProfileRecord = await NavigationUtil.selectProfile(
      isVPRFlow
        ? {
            goBack: () => {
              displayGlobalModal({
                title: 'Cancel Send',
                confirmButton: false,
                cancelButton: false,
                body: getGlobalModalBody(
                  'Ending credential request. To send credentials, open another request.',
                  true
                )
              })
              navigationRef.navigate('HomeNavigation', {
                screen: 'CredentialNavigation',
                params: { screen: 'HomeScreen' }
              })
              setTimeout(clearGlobalModal, 10000)
            }
          }
        : undefined
    )
    const selectedDidRecord = selectWithFactory(makeSelectDidFromProfile, {
      rawProfileRecord
    })
    const selectedProfile = await profileWithSigners({
      profileName: rawProfileRecord.profileName,
      loadCredentials: CredentialRecord.getAllCredentialRecords,
      didRecord: {
        didDocument: selectedDidRecord.didDocument,
        verificationKey: selectedDidRecord.verificationKey
      }
    })
    // Get the root WAS / zcap signer. For the moment, the WAS connection
    // is shared for the whole wallet (between all the profiles)
    const wasController = await getWasController()

    // Recursively process exchanges until either:
    //  1) we're issued some credentials, or
    //  2) the exchange ends (we've sent off all requested items)
    // TODO: Open the 'redirectUrl' if present?
    const modals = { enabled: true, confirmZcapRequest }
    const { acceptCredentials } = await processMessageChain({
      exchangeUrl,
      requestOrOffer,
      selectedProfile,
      wasController,
      modals
    })

    clearGlobalModal()

    // In a VPR (presentation request) flow the verifier may echo back a VP,
    // but we never want to store it — just confirm to the user.
    if (!isVPRFlow && acceptCredentials && navigationRef.isReady()) {
      // We've been issued credentials to store - present to user for accepting
      const { credentialRequestOrigin } = requestOrOffer
      console.log('credentialRequestOrigin:', credentialRequestOrigin)
      console.log('[acceptExchange] Accepting credentials:', acceptCredentials)
      await dispatch(
        stageCredentialsForProfile({
          credentials: acceptCredentials,
          profileRecordId: rawProfileRecord._id
        })
      )
      await delay(500)
      navigationRef.navigate('AcceptCredentialsNavigation', {
        screen: 'ApproveCredentialsScreen',
        params: {
          rawProfileRecord
        }
      })
    } else {
      console.log('[acceptExchange] Exchanges completed.')
      navigationRef.navigate('HomeNavigation', {
        screen: 'CredentialNavigation',
        params: {
          screen: 'HomeScreen'
        }
      })
      if (isVPRFlow) {
        displayGlobalModal({
          title: 'Success',
          confirmButton: true,
          confirmText: 'OK',
          cancelButton: false,
          body: getGlobalModalBody(
            isDIDAuthOnly
              ? 'DID Authentication complete.'
              : 'You have shared the selected credentials.'
          )
        })
      }
    }
  }

  const rejectExchange = () => {
    coldStart && setColdStart(false)
    if (navigationRef.isReady() && navigationRef.canGoBack()) {
      navigationRef.goBack()
    } else {
      navigationRef.navigate('HomeNavigation', {
        screen: 'CredentialNavigation',
        params: {
          screen: 'HomeScreen'
        }
      })
    }
  }

  return (
    <ConfirmModal
      open={coldStart}
      onConfirm={acceptExchange}
      onCancel={rejectExchange}
      onRequestClose={() => {
        !coldStart && rejectExchange()
      }}
      title="Incoming Message"
      confirmText="Yes"
      cancelText="No"
    >
      <Text style={mixins.modalBodyText}>
        {isDIDAuthOnly
          ? 'An organization is requesting DID Authentication.'
          : 'An organization would like to exchange credentials with you.'}
      </Text>
      <Text style={mixins.modalBodyText}>Would you like to continue?</Text>
    </ConfirmModal>
  )
}
