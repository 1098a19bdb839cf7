import type { Logger } from 'pino';
import { WorkspaceNotInstalled } from './slack-clients.js';

/**
 * Work that runs after Slack has been answered (DMs, App Home republish)
 * has nobody to report a failure to, so it is logged here; stop() waits for
 * what is still running so a shutdown does not cut a DM in half.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  /** Aborted when the app stops: long work (a big series) ends at its next safe point and reports what it did. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<unknown>): void {
    const task = (async () => {
      try {
        await work();
      } catch (error) {
        // Expected after an uninstall: a website booking or a removed slot in that workspace has nobody to tell.
        if (error instanceof WorkspaceNotInstalled) this.logger.warn({ what, teamId: error.teamId }, 'skipped Slack work: the app is not installed in that workspace');
        else this.logger.error({ err: error, what }, 'background Slack work failed');
      }
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Asks long work to stop, then waits for what is running, at most `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopping.abort();
    await this.drain(timeoutMs);
  }

  /** Waits for the running work, at most `timeoutMs`. */
  async drain(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    while (this.running.size) {
      const settled = await Promise.race([Promise.allSettled([...this.running]).then(() => true), timeout.then(() => false)]);
      if (!settled) break;
    }
    clearTimeout(timer);
  }
}
