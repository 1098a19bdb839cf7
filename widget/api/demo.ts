import type { RequestHandler } from 'express';
import { SignJWT } from 'jose';
import type { Core } from '../../core/core.types.js';
import { DomainError } from '../../core/shared/errors.js';
import { DEMO_STUDENTS } from '../../core/demo/demo-seed.js';
import { demoStudentsResponseSchema, demoTokenBodySchema, demoTokenResponseSchema } from './contract.schema.js';
import { defineEndpoint, type Endpoint } from './endpoint.js';
import { normalisePhone } from '../../core/shared/phone.js';
import { DEMO_TOKEN_ISSUER, DEMO_TOKEN_KEY_ID } from './auth.js';

const DEMO_TOKEN_SECONDS = 3_600;

/** The seeded students a demo token may name. */
export const DEMO_SUBJECTS: ReadonlySet<string> = new Set(DEMO_STUDENTS.map((s) => s.externalId));

/**
 * Demo identities: only registered with DEMO_MODE=1. They let a visitor act
 * as one of the seeded students; a real deployment has no such door, every
 * identity there is signed by the host site. Demo tokens are signed with
 * `demoSecret`, made at start and never WIDGET_SIGNING_SECRET, so a demo
 * page can never mint a token a production server would accept.
 */
export function demoEndpoints(core: Core, demoSecret: string): Endpoint[] {
  const key = new TextEncoder().encode(demoSecret);
  return [
    defineEndpoint({
      method: 'get',
      path: '/demo/students',
      operationId: 'listDemoStudents',
      summary: 'Demo mode only: the seeded students a visitor may act as',
      tag: 'Demo',
      auth: false,
      responses: [{ status: 200, description: 'The seeded students.', schema: demoStudentsResponseSchema }],
      problems: [],
      async handle({ res }) {
        res.json({ students: DEMO_STUDENTS.map(({ externalId, name }) => ({ externalId, name })) });
      },
    }),
    defineEndpoint({
      method: 'post',
      path: '/demo/token',
      operationId: 'createDemoToken',
      summary: 'Demo mode only: a one-hour student token for a seeded student, signed like a host site would',
      tag: 'Demo',
      auth: false,
      body: demoTokenBodySchema,
      bodyRequired: true,
      responses: [{ status: 200, description: 'A signed token.', schema: demoTokenResponseSchema }],
      problems: [400, 404],
      async handle({ res, body }) {
        const student = DEMO_STUDENTS.find((s) => s.externalId === body.externalId);
        if (!student) throw new DomainError('student.not_found', `There is no seeded student "${body.externalId}".`);
        const now = Math.floor(core.clock.now().getTime() / 1000);
        const token = await new SignJWT({ name: student.name, phone: normalisePhone(student.phone), email: student.email })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: DEMO_TOKEN_KEY_ID })
          .setIssuer(DEMO_TOKEN_ISSUER)
          .setSubject(student.externalId)
          .setIssuedAt(now)
          .setExpirationTime(now + DEMO_TOKEN_SECONDS)
          .sign(key);
        res.setHeader('Cache-Control', 'no-store');
        res.json({ token, expiresAt: new Date((now + DEMO_TOKEN_SECONDS) * 1000).toISOString() });
      },
    }),
  ];
}

/** The demo page: the widget over the seeded data, with a picker of who you are. */
export function demoPage(): RequestHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(DEMO_HTML);
  };
}

const DEMO_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Coaching scheduler: widget demo</title>
  <link rel="icon" href="data:,">
  <style>
    body { font-family: Georgia, 'Times New Roman', serif; margin: 0; background: #f4f1ea; color: #222; }
    main { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; display: grid; gap: 1.25rem; }
    h1 { font-size: 1.6rem; margin: 0; }
    p { margin: 0; line-height: 1.5; }
    .who { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; padding: .75rem 1rem; background: #fff; border: 1px solid #d6d0c4; border-radius: 8px; }
    .who select { font: inherit; padding: .3rem .4rem; }
    #events { font: .85rem/1.4 ui-monospace, monospace; background: #fff; border: 1px solid #d6d0c4; border-radius: 8px; padding: .75rem 1rem; min-height: 3rem; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  </style>
</head>
<body>
  <main>
    <h1>Coaching scheduler: widget demo</h1>
    <p>This page stands in for your website. In demo mode you may choose which seeded student you are; on a real site the host signs a token for its logged-in student instead.</p>
    <div class="who">
      <label for="student">You are</label>
      <select id="student" disabled><option>Loading students…</option></select>
    </div>
    <coach-booking></coach-booking>
    <h2 style="font-size:1.1rem;margin:0">Events the host page received</h2>
    <pre id="events" aria-live="off">(none yet)</pre>
  </main>
  <script type="module">
    import '/widget/coach-booking.js';
    const select = document.getElementById('student');
    const widget = document.querySelector('coach-booking');
    const log = document.getElementById('events');
    widget.setAttribute('api', location.origin);

    async function signIn(externalId) {
      const response = await fetch('/api/v1/demo/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ externalId }),
      });
      if (!response.ok) throw new Error('Could not sign in as ' + externalId);
      const { token } = await response.json();
      widget.setAttribute('token', token);
      sessionStorage.setItem('demo-student', externalId);
    }

    for (const name of ['coach-booking:booked', 'coach-booking:cancelled', 'coach-booking:rescheduled', 'coach-booking:token-expired', 'coach-booking:error']) {
      widget.addEventListener(name, (event) => {
        const line = new Date().toLocaleTimeString() + '  ' + name + '  ' + JSON.stringify(event.detail);
        log.textContent = log.textContent === '(none yet)' ? line : line + '\\n' + log.textContent;
      });
    }
    // The same student's fresh token: the widget keeps their place and resumes what was waiting.
    widget.addEventListener('coach-booking:token-expired', () => signIn(select.value));

    const { students } = await (await fetch('/api/v1/demo/students')).json();
    select.replaceChildren(...students.map((s) => new Option(s.name, s.externalId)));
    select.value = sessionStorage.getItem('demo-student') || students[0].externalId;
    select.disabled = false;
    select.addEventListener('change', () => signIn(select.value));
    await signIn(select.value);
  </script>
</body>
</html>
`;
