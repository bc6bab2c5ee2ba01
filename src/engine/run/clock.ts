/**
 * A run's clock: milliseconds on a monotonic clock, and the time spent held at checkpoints
 * (paused), which is not training time.
 */
export class RunClock {
  private paused = 0;

  constructor(
    readonly now: () => number,
    private readonly hold?: () => Promise<'continue' | 'stop'>,
  ) {}

  get pausedMs(): number {
    return this.paused;
  }

  /** Awaits the run's checkpoint hook, counting the wait as paused time. */
  async checkpoint(): Promise<'continue' | 'stop'> {
    if (!this.hold) return 'continue';
    const t = this.now();
    const decision = await this.hold();
    this.paused += this.now() - t;
    return decision;
  }
}
