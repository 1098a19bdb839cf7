/** The Allow header of a path: what it serves, with HEAD wherever GET is (Express answers HEAD with the GET route) and OPTIONS (CORS). */
export function allowHeader(methods: Iterable<string>): string {
  const upper = new Set([...methods].map((m) => m.toUpperCase()));
  if (upper.has('GET')) upper.add('HEAD');
  upper.add('OPTIONS');
  return [...upper].join(', ');
}
