/**
 * What each page template receives. Routes build these; templates in views/ read them. The
 * translation function and locale come from the rendering middleware, not from here.
 */

/** A localized message: an i18n key and its parameters. Templates translate it. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}

/** Field-level errors: field name → message. `form` is an error about the whole form. */
export type FieldErrors = Partial<Record<string, Message>>;

export interface PageBase {
  /** i18n key of the page title. */
  titleKey: string;
  /** Name of the site the user is signing in to, when there is one. */
  clientName?: string;
  /** CSRF token for the hidden `csrf` input of every POST form on the page. */
  csrf?: string;
  /** Base URL for the form actions of this interaction, e.g. `/interaction/abc`. */
  action?: string;
  errors?: FieldErrors;
  /** Where the language switch leads (a local path); default: the request's own address. */
  currentPath?: string;
}

export interface MobilePage extends PageBase {
  values: { mobile: string };
  /** `data:` URL of the captcha image (a raster); undefined when the captcha is off. */
  captchaImageUrl?: string;
  /** URL that shows a new captcha image (GET, works without JavaScript). */
  captchaRefreshUrl?: string;
  cancelUrl: string;
  /**
   * Set when a signed-in person is asked to confirm again (a step-up): the page says which site
   * asks and why, and needs no captcha for the account's own number.
   */
  stepUp?: {
    /** The site's reasons, in its own words (the `purpose` of the claims it asks for). */
    purposes: string[];
    /** The account's number, masked, when the site named it (login_hint): one button sends the code. */
    knownMobile?: string;
    /** Where "use another number" leads (GET). */
    otherNumberUrl: string;
  };
}

/** The ways on and out every journey page offers (views/partials/ways-on.ejs). */
export interface WaysOn {
  /** "Cancel and return to the site": the site gets access_denied. */
  cancelUrl: string;
  /** Offer "sign in with another number" (a POST to `<action>/change-mobile`). */
  anotherNumber?: boolean;
}

export interface CodePage extends PageBase, WaysOn {
  /** Masked mobile, e.g. ۰۹۱۲***۴۵۶۷ (digits are localized by the template). */
  maskedMobile: string;
  /**
   * Minutes until the mobile may try codes again after too many wrong ones; set, the page shows
   * only that and the ways on: no code box, no resend.
   */
  lockedMinutes?: number;
  codeLength: number;
  /** Seconds until "resend" is allowed; 0: allowed now. */
  resendInSeconds: number;
  /** A notice shown above the form (e.g. "a new code was sent"). */
  notice?: Message;
}

export interface IdentityPage extends PageBase, WaysOn {
  values: { national_code: string; birth_date: string };
  /** The identity check said no (or could not answer): what happened and what to do now. */
  refusal?: IdentityRefusal;
}

export interface IdentityRefusal {
  /** What happened, in a person's words. */
  message: Message;
  /** i18n keys of what the person can do next, in order. */
  nextSteps: string[];
  /** Whether typing the national code and birth date again can help (else no form is shown). */
  formUseful: boolean;
}

export interface ConsentPage extends PageBase {
  clientName: string;
  clientUri?: string;
  policyUri?: string;
  tosUri?: string;
  /** i18n keys of the pieces of personal data the site will receive, in display order. */
  claimKeys: string[];
  /** i18n keys of other permissions, e.g. "stay signed in" for offline_access. */
  permissionKeys: string[];
  /** Pieces of data the user already granted to this site earlier (shown as such). */
  alreadyGrantedClaimKeys: string[];
  /** i18n keys of the data the site asks for as verified by the registries (verified_claims). */
  verifiedClaimKeys?: string[];
  /** Why the site says it wants a piece of data (OIDC4IDA `purpose`), in the site's words. */
  purposes?: Array<{ claimKey: string; purpose: string; verified: boolean }>;
  /** Why the site says it asks for all of it (OIDC4IDA's `purpose` request parameter). */
  requestPurpose?: string;
}

export interface ErrorPage extends PageBase {
  message: Message;
  /** Where "back" leads; undefined: no link, only the advice to go back to the site. */
  backUrl?: string;
  /** The site `backUrl` leads to, for the link's text. */
  backToClient?: string;
  /** Shown small, for support: a request id, never a stack trace. */
  reference?: string;
}

export interface LogoutPage extends PageBase {
  /** The full <form> oidc-provider generates for the logout confirmation, to embed as-is. */
  formHtml: string;
  formId: string;
}

export interface LoggedOutPage extends PageBase {
  /** The site the user signed out from, when known. */
  clientName?: string;
  /** That site's registered home address (client_uri), for a link back to it. */
  backUrl?: string;
}
