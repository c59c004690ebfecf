import { accountEn } from './account-messages.js';
import { adminEn } from './admin-messages.js';
import type { MessageKey } from './fa.js';
import { passkeyEn } from './passkey-messages.js';

/** English catalog: the same keys as `fa` (the type makes a missing or extra key a compile error). */
export const en: Record<MessageKey, string> = {
  ...adminEn,
  ...passkeyEn,
  ...accountEn,
  'app.name': 'Darvaze',
  'app.tagline': 'Single sign-on',
  'layout.skipToContent': 'Skip to main content',
  'layout.signingInTo': 'Signing in to {client}',
  'layout.language': 'Language',
  'layout.footer': 'Darvaze, single sign-on and identity verification',
  'layout.footerPrivacy': 'Your information is shared with a site only with your permission.',
  'lang.fa': 'فارسی',
  'lang.en': 'English',

  'form.errorSummaryTitle': 'Please check the following:',
  'form.continue': 'Continue',
  'form.cancel': 'Cancel and return to the site',
  'form.requiredNote': 'All fields are required.',

  'page.mobile.title': 'Sign in with your mobile number',
  'page.code.title': 'Enter the verification code',
  'page.identity.title': 'Verify your identity',
  'page.consent.title': 'Grant single sign-on permission',
  'page.error.title': 'Error',
  'page.logout.title': 'Sign out',
  'page.loggedOut.title': 'You have signed out',

  'mobile.intro': 'To sign in or register, enter your mobile number. We will text a verification code to it.',
  'mobile.label': 'Mobile number',
  'mobile.hint': 'For example 09123456789',
  'mobile.ownNameTitle': 'Important',
  'mobile.ownNameNotice':
    'The mobile number must be registered in your own name and be active. If it is registered to someone else, your identity cannot be verified.',
  'mobile.submit': 'Continue',
  'captcha.label': 'Security code',
  'captcha.hint': 'Type the digits shown in the image.',
  'captcha.imageAlt': 'Security code image: type the five digits it shows in the box below',
  'captcha.refresh': 'Show a new image',

  'code.intro': 'We have sent a verification code to your mobile.',
  'code.sentTo': 'Mobile number:',
  'code.label': 'Verification code',
  'code.hint': 'Enter the {length}-digit code from the text message.',
  'code.submit': 'Verify and continue',
  'code.notReceived': 'Didn’t get the code?',
  'code.resend': 'Send a new code',
  'code.resendIn': 'You can ask for a new code in {seconds} s.',
  'code.changeMobile': 'Change mobile number',
  'code.sent': 'A verification code has been sent to {mobile}.',
  'code.resent': 'A new verification code has been sent to you.',

  'identity.intro':
    'To complete your registration, enter your national code and date of birth. They are checked against the civil registry.',
  'national_code.label': 'National code',
  'national_code.hint': 'Your 10-digit national code, without dashes',
  'birth_date.label': 'Date of birth',
  'birth_date.hint':
    'Solar Hijri (Jalali): year, month, day, for example 1370/05/14, or the eight digits 13700514 without slashes',
  'birth_date.placeholder': '1370/05/14',
  'identity.submit': 'Verify and continue',

  'consent.intro': '{client} asks to receive the following information about you:',
  'consent.moreThanBefore':
    'This site now asks for more information than last time. The items you allowed before are marked.',
  'consent.claimsHeading': 'Information that will be shared',
  'consent.noClaims': 'No personal information is shared, only a sign-in identifier.',
  'consent.permissionsHeading': 'Other permissions',
  'consent.alreadyGranted': 'allowed before',
  'consent.explain':
    'When you choose “Grant single sign-on permission”, this information is sent to {client} automatically and you can sign in there without registering again.',
  'consent.remember': 'Your choice will be remembered for next time.',
  'consent.grant': 'Grant single sign-on permission',
  'consent.deny': 'Don’t allow',
  'consent.linksHeading': 'About this site',
  'consent.clientUri': 'Website',
  'consent.policyUri': 'Privacy policy',
  'consent.tosUri': 'Terms of use',
  'consent.opensInNewTab': '(opens in a new tab)',
  'consent.verifiedHeading': 'Checked with the civil registry and your mobile operator',
  'consent.verifiedExplain':
    '{client} receives these as the civil registry confirmed them, with when and how they were checked.',
  'consent.purposesHeading': 'Why {client} asks',
  'consent.purposeSource': 'In the site’s own words:',

  'claim.name': 'Full name',
  'claim.given_name': 'First name',
  'claim.family_name': 'Last name',
  'claim.gender': 'Gender',
  'claim.birthdate': 'Date of birth',
  'claim.birthdate_jalali': 'Date of birth (Jalali)',
  'claim.phone_number': 'Mobile number',
  'claim.national_code': 'National code',
  'claim.father_name': 'Father’s name',
  'claim.other': 'Other information',
  'permission.offline_access':
    'Stay signed in: the site may use the information above even when you are not present',

  'error.back': 'Go back',
  'error.backToClient': 'Back to {client}',
  'error.nextStep':
    'Go back to the site you came from (your browser’s back button) and start signing in there again.',
  'error.reference': 'Reference:',
  'error.referenceHelp': 'If you contact support, please give them this reference.',
  'logout.question': 'Do you want to sign out of Darvaze?',
  'logout.fromClient': 'The sign-out request comes from {client}.',
  'logout.explain': 'After signing out, you will need a new verification code to sign in to the sites again.',
  'logout.confirm': 'Yes, sign me out',
  'logout.stay': 'No, stay signed in',
  'loggedOut.message': 'You have signed out of Darvaze.',
  'loggedOut.fromClient': 'You have signed out of {client} and Darvaze.',
  'loggedOut.sharedDevice': 'If this is a shared device, it is best to close the browser.',

  'error.csrf': 'This form has expired. Please try again.',
  'mobile.required': 'Please enter your mobile number.',
  'mobile.invalid': 'This is not a valid mobile number. Enter it like 09123456789.',
  'captcha.required': 'Please enter the security code shown in the image.',
  'captcha.wrong': 'The security code is not correct. Please type the code in the new image.',
  'sms.cooldown': 'Please wait {seconds} s before asking for a new code.',
  'sms.mobileCooldown':
    'A code was sent to this number moments ago. You can get a new one in {seconds} s: then press “Continue” again.',
  'sms.limit': 'Too many codes have been requested for this number. Please try again in {minutes} min.',
  'sms.failed': 'We could not send the text message. Please try again in a few minutes.',
  'code.required': 'Please enter the verification code.',
  'code.invalid':
    'That is not a valid code. Type the code from the text message, digits only and without spaces.',
  'code.wrong': 'The verification code is not correct. Attempts left: {attemptsLeft}.',
  'code.expired': 'This code has expired. Please ask for a new code.',
  'code.locked':
    'Because of too many wrong codes, signing in with this number is blocked for now. Please try again in {minutes} min.',
  'national_code.required': 'Please enter your national code.',
  'national_code.invalid': 'This national code is not valid. Please check your 10-digit national code.',
  'birth_date.required': 'Please enter your date of birth.',
  'birth_date.invalid':
    'This date of birth is not valid. Enter it as a Jalali (Solar Hijri) date YYYY/MM/DD, for example 1370/05/14.',

  'identity.mobile_not_owned':
    'This mobile number is not registered in your name: your mobile operator does not have it under the national code you entered.',
  'identity.registry_mismatch':
    'The national code and date of birth you entered do not match the civil registry. Please check them.',
  'identity.deceased': 'The civil registry does not allow an identity check with this national code.',
  'identity.national_code_taken':
    'This national code is already registered with another mobile number. Please sign in with that number, or contact support.',
  'identity.limit':
    'Too many identity checks have been made for this number or national code today. You can try again in {hours} h.',
  'identity.unavailable':
    'The identity verification service is not reachable right now. Please try again in a few minutes.',

  'identity.submitAgain': 'Try again',
  'refusal.nextStepsHeading': 'What you can do',
  'refusal.checkNationalCode': 'If you mistyped your national code, correct it below and try again.',
  'refusal.useOwnNumber': 'Sign in with a mobile number registered in your own name.',
  'refusal.askOperator':
    'To have this number registered in your name, visit a service office of your mobile operator.',
  'refusal.checkTyping':
    'Check your national code and your date of birth (Solar Hijri, as on your birth certificate) and try again.',
  'refusal.askRegistry':
    'If they are right and still do not match, the civil registry’s record may differ: a civil registry office can check and correct it.',
  'refusal.deceasedRegistry':
    'If you think this is a mistake, take your birth certificate and national card to a civil registry office and ask them to check your record.',
  'refusal.limitLater': 'After that time, sign in again: a new code will be texted to you.',
  'refusal.retrySoon': 'Press “Try again” in a minute or two: what you typed is kept.',
  'refusal.comeBackLater': 'If it still does not work, return to the site and sign in again later.',
  'waysOn.anotherNumber': 'Sign in with another number',
  'page.stepUp.title': 'Confirm it is you',
  'stepUp.reason':
    '{client} asks you to confirm with a new code that it is still you, before you go on there.',
  'stepUp.purpose': 'In the site’s words:',
  'stepUp.sendTo': 'We will text a code to:',
  'stepUp.send': 'Send the code',
  'stepUp.otherNumber': 'Use another number',
  'page.locked.title': 'Signing in with this number is paused',
  'code.lockedExplain':
    'Too many wrong codes were entered for this number. For your security, you can try again in {minutes} min.',
  'code.lockedNext':
    'You can sign in now with another mobile number registered in your name, or return to the site and come back later.',

  'interaction.expired': 'Your sign-in has expired. Please go back to the site and sign in again.',
  'error.generic': 'Something unexpected went wrong. Please try again.',
  'error.unavailable': 'The service is temporarily unavailable. Please try again in a few minutes.',
  'error.not_found': 'The page you asked for was not found.',
  'error.too_large': 'The information you sent is too large.',
  'error.unsupported_body': 'The information you sent is in a format this site does not accept.',
  'error.malformed_body': 'The information you sent could not be read. Please try again.',

  'oidc.invalid_request':
    'The sign-in request from the site is incomplete or incorrect. Please go back to the site and try again.',
  'oidc.invalid_client': 'The site you came from is not registered with Darvaze.',
  'oidc.invalid_redirect_uri':
    'The site’s return address is not valid. For your safety, sign-in was stopped.',
  'oidc.unauthorized_client': 'This site is not allowed to use this way of signing in.',
  'oidc.access_denied': 'Access was not granted.',
  'oidc.login_required': 'You need to sign in to continue.',
  'oidc.consent_required': 'You need to give this site permission to continue.',
  'oidc.interaction_required': 'You need to sign in to continue.',
  'oidc.invalid_scope': 'The site asked for information that Darvaze does not provide.',
  'oidc.unsupported_response_type': 'The site used a way of signing in that Darvaze does not support.',
  'oidc.server_error': 'An error occurred on our side. Please try again.',
  'oidc.temporarily_unavailable':
    'The service is temporarily unavailable. Please try again in a few minutes.',
  'oidc.default': 'The site sent an invalid sign-in request. Please go back to the site and try again.',
};
