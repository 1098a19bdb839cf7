import type { AnyBlock, View } from '@slack/types';

/**
 * Slack's documented Block Kit limits. Slack rejects a view or message that
 * breaks one (`invalid_blocks`, `invalid_arguments`), so every builder is
 * checked against them in tests, and at run time before anything is sent.
 */
export const LIMITS = {
  viewTitle: 24,
  viewButton: 24,
  viewBlocks: 100,
  messageBlocks: 50,
  messageText: 40_000,
  textObject: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  buttonText: 75,
  buttonValue: 2000,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  radioOptions: 10,
  checkboxOptions: 10,
  placeholder: 150,
  id: 255,
  privateMetadata: 3000,
  textInputMax: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

export interface LimitViolation {
  path: string;
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | undefined => (isObject(value) && typeof value.text === 'string' ? value.text : undefined);

class Checker {
  readonly violations: LimitViolation[] = [];
  private readonly blockIds = new Set<string>();

  max(path: string, actual: number | undefined, limit: number, what: string): void {
    if (actual !== undefined && actual > limit) this.violations.push({ path, message: `${what} is ${actual}, the limit is ${limit}` });
  }

  textMax(path: string, value: unknown, limit: number, what: string): void {
    this.max(path, textOf(value)?.length, limit, `${what} length`);
  }

  id(path: string, value: unknown, what: string): void {
    if (typeof value === 'string') this.max(path, value.length, LIMITS.id, `${what} length`);
  }

  blocks(path: string, blocks: unknown, limit: number): void {
    if (!Array.isArray(blocks)) return;
    this.max(path, blocks.length, limit, 'block count');
    blocks.forEach((block, i) => this.block(`${path}[${i}]`, block));
  }

  private block(path: string, block: unknown): void {
    if (!isObject(block)) return;
    if (typeof block.block_id === 'string') {
      this.id(`${path}.block_id`, block.block_id, 'block_id');
      if (this.blockIds.has(block.block_id)) this.violations.push({ path: `${path}.block_id`, message: `block_id "${block.block_id}" is not unique` });
      this.blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        this.textMax(`${path}.text`, block.text, LIMITS.textObject, 'section text');
        if (Array.isArray(block.fields)) {
          this.max(`${path}.fields`, block.fields.length, LIMITS.sectionFields, 'field count');
          block.fields.forEach((field, i) => this.textMax(`${path}.fields[${i}]`, field, LIMITS.sectionField, 'field'));
        }
        if (block.text === undefined && block.fields === undefined) this.violations.push({ path, message: 'a section needs text or fields' });
        if (block.accessory !== undefined) this.elements(path, [block.accessory], 'accessory');
        break;
      case 'header':
        this.textMax(`${path}.text`, block.text, LIMITS.headerText, 'header text');
        break;
      case 'context':
        this.max(`${path}.elements`, Array.isArray(block.elements) ? block.elements.length : undefined, LIMITS.contextElements, 'context element count');
        break;
      case 'actions':
        this.max(`${path}.elements`, Array.isArray(block.elements) ? block.elements.length : undefined, LIMITS.actionsElements, 'actions element count');
        if (Array.isArray(block.elements)) this.elements(path, block.elements, 'elements');
        break;
      case 'input':
        this.textMax(`${path}.label`, block.label, LIMITS.inputLabel, 'input label');
        this.textMax(`${path}.hint`, block.hint, LIMITS.inputHint, 'input hint');
        if (block.element === undefined) this.violations.push({ path, message: 'an input block needs an element' });
        else this.elements(path, [block.element], 'element');
        break;
      default:
        break;
    }
    this.texts(path, block);
  }

  /** Elements of one block: their action_ids must be unique within it. */
  private elements(path: string, elements: unknown[], key: string): void {
    const actionIds = new Set<string>();
    elements.forEach((element, i) => {
      const at = elements.length === 1 && key !== 'elements' ? `${path}.${key}` : `${path}.${key}[${i}]`;
      if (!isObject(element)) return;
      if (typeof element.action_id === 'string') {
        this.id(`${at}.action_id`, element.action_id, 'action_id');
        if (actionIds.has(element.action_id)) this.violations.push({ path: `${at}.action_id`, message: `action_id "${element.action_id}" repeats in one block` });
        actionIds.add(element.action_id);
      }
      this.element(at, element);
    });
  }

  private element(path: string, element: Json): void {
    this.textMax(`${path}.placeholder`, element.placeholder, LIMITS.placeholder, 'placeholder');
    if (isObject(element.confirm)) {
      const c = element.confirm;
      this.textMax(`${path}.confirm.title`, c.title, LIMITS.confirmTitle, 'confirm title');
      this.textMax(`${path}.confirm.text`, c.text, LIMITS.confirmText, 'confirm text');
      this.textMax(`${path}.confirm.confirm`, c.confirm, LIMITS.confirmButton, 'confirm button');
      this.textMax(`${path}.confirm.deny`, c.deny, LIMITS.confirmButton, 'deny button');
    }
    switch (element.type) {
      case 'button':
        this.textMax(`${path}.text`, element.text, LIMITS.buttonText, 'button text');
        if (typeof element.value === 'string') this.max(`${path}.value`, element.value.length, LIMITS.buttonValue, 'button value length');
        break;
      case 'static_select':
      case 'multi_static_select': {
        const groups = Array.isArray(element.option_groups) ? element.option_groups.filter(isObject) : [];
        const options = [
          ...(Array.isArray(element.options) ? element.options : []),
          ...groups.flatMap((g) => (Array.isArray(g.options) ? g.options : [])),
        ];
        this.max(`${path}.options`, options.length, LIMITS.selectOptions, 'option count');
        this.max(`${path}.option_groups`, groups.length, LIMITS.optionGroups, 'option group count');
        groups.forEach((g, i) => this.textMax(`${path}.option_groups[${i}].label`, g.label, LIMITS.optionText, 'option group label'));
        this.options(path, options);
        break;
      }
      case 'radio_buttons':
        this.max(`${path}.options`, Array.isArray(element.options) ? element.options.length : undefined, LIMITS.radioOptions, 'radio option count');
        this.options(path, Array.isArray(element.options) ? element.options : []);
        break;
      case 'checkboxes':
        this.max(`${path}.options`, Array.isArray(element.options) ? element.options.length : undefined, LIMITS.checkboxOptions, 'checkbox option count');
        this.options(path, Array.isArray(element.options) ? element.options : []);
        break;
      case 'plain_text_input': {
        const maxLength = typeof element.max_length === 'number' ? element.max_length : LIMITS.textInputMax;
        this.max(`${path}.max_length`, maxLength, LIMITS.textInputMax, 'max_length');
        if (typeof element.initial_value === 'string') this.max(`${path}.initial_value`, element.initial_value.length, maxLength, 'initial_value length');
        break;
      }
      default:
        break;
    }
  }

  optionList(path: string, options: unknown[]): void {
    this.options(path, options);
  }

  private options(path: string, options: unknown[]): void {
    options.forEach((option, i) => {
      if (!isObject(option)) return;
      this.textMax(`${path}.options[${i}].text`, option.text, LIMITS.optionText, 'option text');
      if (typeof option.value === 'string') this.max(`${path}.options[${i}].value`, option.value.length, LIMITS.optionValue, 'option value length');
    });
  }

  /** Every text object anywhere: non-empty and at most 3,000 characters. */
  private texts(path: string, node: unknown): void {
    if (Array.isArray(node)) {
      node.forEach((child, i) => this.texts(`${path}[${i}]`, child));
      return;
    }
    if (!isObject(node)) return;
    if ((node.type === 'plain_text' || node.type === 'mrkdwn') && typeof node.text === 'string') {
      if (node.text.length === 0) this.violations.push({ path, message: 'a text object cannot be empty' });
      this.max(path, node.text.length, LIMITS.textObject, 'text length');
      return;
    }
    for (const [key, child] of Object.entries(node)) this.texts(`${path}.${key}`, child);
  }
}

export function checkView(view: View): LimitViolation[] {
  const c = new Checker();
  const v = view as unknown as Json;
  if (v.type === 'modal') {
    c.textMax('title', v.title, LIMITS.viewTitle, 'title');
    c.textMax('submit', v.submit, LIMITS.viewButton, 'submit label');
    c.textMax('close', v.close, LIMITS.viewButton, 'close label');
    if (textOf(v.title) === undefined) c.violations.push({ path: 'title', message: 'a modal needs a title' });
    const hasInput = Array.isArray(v.blocks) && v.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && v.submit === undefined) c.violations.push({ path: 'submit', message: 'a modal with inputs needs a submit label' });
  }
  if (typeof v.private_metadata === 'string') c.max('private_metadata', v.private_metadata.length, LIMITS.privateMetadata, 'private_metadata length');
  c.id('callback_id', v.callback_id, 'callback_id');
  c.id('external_id', v.external_id, 'external_id');
  c.blocks('blocks', v.blocks, LIMITS.viewBlocks);
  return c.violations;
}

export interface MessageContent {
  text?: string;
  blocks?: AnyBlock[];
}

export function checkMessage(message: MessageContent): LimitViolation[] {
  const c = new Checker();
  if (typeof message.text === 'string') c.max('text', message.text.length, LIMITS.messageText, 'text length');
  if (!message.text && !message.blocks?.length) c.violations.push({ path: '', message: 'a message needs text or blocks' });
  c.blocks('blocks', message.blocks, LIMITS.messageBlocks);
  return c.violations;
}

/** An options-load answer (external_select): at most 100 options, each within the option limits. */
export function assertOptionsWithinLimits(options: unknown[]): void {
  const c = new Checker();
  c.max('options', options.length, LIMITS.selectOptions, 'option count');
  c.optionList('options', options);
  if (c.violations.length) throw new LimitsError('options', c.violations);
}

export class LimitsError extends Error {
  override readonly name = 'LimitsError';
  constructor(readonly what: string, readonly violations: LimitViolation[]) {
    super(`${what} breaks Slack limits: ${violations.map((v) => `${v.path || '(root)'}: ${v.message}`).join('; ')}`);
  }
}

export function assertViewWithinLimits(view: View, what = 'view'): void {
  const violations = checkView(view);
  if (violations.length) throw new LimitsError(what, violations);
}

export function assertMessageWithinLimits(message: MessageContent, what = 'message'): void {
  const violations = checkMessage(message);
  if (violations.length) throw new LimitsError(what, violations);
}
