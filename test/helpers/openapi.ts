import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Json = Record<string, any>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface ProblemAnswer {
  method: string;
  /** The path as sent, with its query string if any. */
  url: string;
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
}

/**
 * Holds the API's own OpenAPI document and says, for any answer the API gave,
 * whether the document describes it: a problem status the operation lists
 * (or, for a method the path does not serve, the shared 405), the problem
 * media type, a body valid against the Problem schema and the headers the
 * document promises. Returns the mismatches, empty when it is described.
 */
export class OpenApiContract {
  private readonly validateProblem: ValidateFunction;
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  constructor(readonly doc: Json) {
    const ajv = new Ajv2020({ strict: true, validateFormats: false, allErrors: true });
    ajv.addKeyword({ keyword: 'components' });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components });
    this.validateProblem = ajv.compile({ $ref: 'openapi.json#/components/schemas/Problem' });
    this.templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    }));
  }

  static async load(baseUrl: string): Promise<OpenApiContract> {
    const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
    if (response.status !== 200) throw new Error(`openapi.json answered ${response.status}`);
    return new OpenApiContract((await response.json()) as Json);
  }

  /** The documented path template a concrete path falls under, if any. */
  templateOf(path: string): string | null {
    const bare = path.split('?')[0]!;
    return this.templates.find(({ pattern }) => pattern.test(bare))?.template ?? null;
  }

  /** Whether the document describes this problem answer; the list of what does not match. */
  problemMismatches(answer: ProblemAnswer): string[] {
    const problems: string[] = [];
    const what = `${answer.method} ${answer.url} → ${answer.status}`;
    const type = answer.headers.get('content-type') ?? '';
    if (!/^application\/problem\+json/.test(type)) problems.push(`${what}: content-type ${type || '(none)'}`);
    let body: unknown = null;
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push(`${what}: body is not JSON: ${answer.text.slice(0, 120)}`);
    }
    if (body !== null && !this.validateProblem(body)) problems.push(`${what}: not a Problem: ${JSON.stringify(this.validateProblem.errors)}`);
    if (body && typeof body === 'object' && (body as Json).status !== answer.status) problems.push(`${what}: body status ${(body as Json).status}`);

    // As sent, not normalised: the server matched `/bookings/../x` as a booking id, not as `/x`.
    const path = answer.url.split('?')[0]!;
    const template = this.templateOf(path);
    // Outside the documented paths only "no such endpoint" (and what any request can get) is possible:
    // a malformed request, a refused origin, a rate limit, oversized headers, an unavailable database.
    const anyRequest = [400, 403, 429, 431, 503];
    if (!template) {
      if (![404, ...anyRequest].includes(answer.status)) problems.push(`${what}: undocumented path answered ${answer.status}`);
      return problems;
    }
    const method = answer.method.toLowerCase();
    const item = this.doc.paths[template] as Json;
    const operation = item[method === 'head' ? 'get' : method] as Json | undefined;
    let response: Json | undefined;
    if (!operation || !HTTP_METHODS.includes(method)) {
      if (answer.status === 405) {
        response = this.doc.components.responses.MethodNotAllowed;
        const allow = answer.headers.get('allow');
        const served = HTTP_METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
        if (!allow || !served.every((m) => allow.split(', ').includes(m))) problems.push(`${what}: Allow ${allow} does not list ${served}`);
        if (!String(item.description ?? '').includes(allow ?? '\u0000')) problems.push(`${what}: path item does not state Allow ${allow}`);
      } else if (!anyRequest.includes(answer.status)) {
        problems.push(`${what}: expected 405 for an unserved method`);
      }
      return problems;
    }
    response = operation.responses[String(answer.status)];
    if (!response) {
      problems.push(`${what}: status not documented for ${method} ${template} (documents ${Object.keys(operation.responses)})`);
      return problems;
    }
    if (!response.content?.['application/problem+json']) problems.push(`${what}: documented ${answer.status} is not a problem document`);
    for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
      const value = answer.headers.get(name);
      if ((header as Json).schema?.type === 'integer' && value !== null && !/^\d+$/.test(value)) problems.push(`${what}: ${name} ${value} is not an integer`);
      if (answer.status !== 409 && value === null && name === 'Retry-After') problems.push(`${what}: no Retry-After`);
    }
    return problems;
  }
}
