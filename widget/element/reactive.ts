import { render, type TemplateResult } from 'lit/html.js';

/** What changed since the last render, with the values before. */
export type Changes = Map<string, unknown>;

/**
 * The part of LitElement this widget uses, on top of Lit's own template
 * engine (`render` from lit-html): reactive properties and attributes, one
 * batched render per microtask, `willUpdate` / `updated` / `updateComplete`,
 * and a shadow root with adopted styles. LitElement's reactive layer costs
 * about 2.8 KB gzip, a fifth of the widget's budget; this is under 0.5 KB.
 */
export abstract class ReactiveWidget extends HTMLElement {
  /** Attributes mirrored to same-named properties (strings or null). */
  static attributes: string[] = [];
  static get observedAttributes(): string[] {
    return this.attributes;
  }

  readonly renderRoot: ShadowRoot;
  updateComplete: Promise<void> = Promise.resolve();
  private changes: Changes = new Map();
  private scheduled = false;
  /** Values a page set on the element before its class was defined, applied once it connects. */
  private early = new Map<string, unknown>();

  constructor(styles: string) {
    super();
    const self = this as unknown as Record<string, unknown>;
    // Only the public properties (the attributes' twins) can have been set by a page that early.
    for (const name of (this.constructor as typeof ReactiveWidget).attributes) {
      if (Object.hasOwn(this, name)) {
        this.early.set(name, self[name]);
        delete self[name];
      }
    }
    this.renderRoot = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    this.renderRoot.adoptedStyleSheets = [sheet];
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  connectedCallback(): void {
    for (const [name, value] of this.early) (this as unknown as Record<string, unknown>)[name] = value;
    this.early.clear();
    this.requestUpdate();
  }

  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined && !this.changes.has(name)) this.changes.set(name, old);
    if (this.scheduled) return;
    this.scheduled = true;
    this.updateComplete = Promise.resolve().then(() => {
      this.scheduled = false;
      const changes = this.changes;
      this.changes = new Map();
      this.willUpdate(changes);
      render(this.render(), this.renderRoot, { host: this });
      this.updated(changes);
    });
  }

  protected willUpdate(_changes: Changes): void {}
  protected updated(_changes: Changes): void {}
  protected abstract render(): TemplateResult;
}

/**
 * Makes properties reactive: setting one to a new value schedules a render.
 * A value the page set before the element was defined is taken over.
 */
export function reactive(element: typeof ReactiveWidget, names: string[]): void {
  for (const name of names) {
    const key = Symbol(name);
    Object.defineProperty(element.prototype, name, {
      get(this: Record<symbol, unknown>) {
        return this[key];
      },
      set(this: ReactiveWidget & Record<symbol, unknown>, value: unknown) {
        const old = this[key];
        if (old === value) return;
        this[key] = value;
        this.requestUpdate(name, old);
      },
    });
  }
}
