/**
 * The API's rate limits count in fixed one-minute windows of real time,
 * shared by every instance through the database. A test that counts requests
 * up to a limit starts inside a fresh window, so it never straddles a reset.
 */
export async function atStartOfRateLimitWindow(windowMs = 60_000, needMs = 10_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
