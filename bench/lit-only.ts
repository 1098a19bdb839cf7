/**
 * The floor for the widget's size: Lit and one trivial element, built with the
 * widget's own Vite settings (`npm run bench` compares the two).
 */
import { css, html, LitElement } from 'lit';

class LitOnly extends LitElement {
  static override styles = css`:host { display: block; }`;
  override render() {
    return html`<p>Lit</p>`;
  }
}
if (!customElements.get('lit-only')) customElements.define('lit-only', LitOnly);
