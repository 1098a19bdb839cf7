import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ApiError, isAbort, type BookingApiClient } from './api-client.js';
import { emitInternal, emitPublic, INTERNAL } from './events.js';

/**
 * Base of the widget's inner elements. They render into <coach-booking>'s
 * shadow root instead of one of their own, so one stylesheet, one set of
 * `part`s and one focus order cover the whole widget.
 */
export class PartElement extends LitElement {
  /** What every part gets from <coach-booking>; subclasses add their own and Lit merges the lists. */
  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    zone: { attribute: false },
    locale: { attribute: false },
  };

  declare client: BookingApiClient | null;
  /** The IANA zone times are shown in. */
  declare zone: string;
  /** BCP 47 locale for dates and times; undefined means the browser's. */
  declare locale: string | undefined;

  constructor() {
    super();
    this.client = null;
    this.zone = 'UTC';
    this.locale = undefined;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Read out by the widget's live region. */
  protected announce(message: string): void {
    emitInternal(this, INTERNAL.announce, message);
  }

  /** Turns any failure into the message the student sees, telling the host page too. */
  protected report(error: unknown): ApiError | null {
    // A request dropped because newer input replaced it is not a failure anyone needs to hear about.
    if (isAbort(error)) return null;
    const apiError = toApiError(error);
    emitPublic(this, 'coach-booking:error', { code: apiError.code, message: apiError.message, status: apiError.status });
    this.announce(apiError.message);
    return apiError;
  }

  /** Moves focus to the element's heading after a view change, so keyboard and screen reader users start there. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.querySelector<HTMLElement>('[data-heading]')?.focus();
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(null, 'unexpected', 'Something went wrong in this page. Reload it and try again.');
}

export function messageFor(error: ApiError): string {
  if (error.code.startsWith('auth.')) return 'Your sign-in has expired or is not valid. Reload the page to sign in again.';
  if (error.code === 'rate_limited') return `${error.message} Then try again.`;
  return error.message;
}

export function loadingState(label: string, blocks = 3, short = false): TemplateResult {
  return html`<div aria-busy="true">
    <p class="sr-only">${label}</p>
    <div class="view">${Array.from({ length: blocks }, () => html`<div class="skeleton ${short ? 'short' : ''}" aria-hidden="true"></div>`)}</div>
  </div>`;
}

export function errorState(error: unknown, retry: (() => void) | null, title = 'That did not work.'): TemplateResult {
  if (isAbort(error)) return html``;
  const apiError = toApiError(error);
  return html`<div class="error" part="error">
    <strong>${title}</strong>
    <p>${messageFor(apiError)}</p>
    ${retry && !apiError.code.startsWith('auth.')
      ? html`<button class="button" part="button" type="button" @click=${retry}>Try again</button>`
      : nothing}
  </div>`;
}

/** Defines an element once, so loading the script twice (or two versions) never throws. */
export function defineOnce(name: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, constructor);
}
