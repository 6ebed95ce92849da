/**
 * Undo steps of a run (close sockets, stop the server, drop the database),
 * run newest first, each once, whether the run ends normally, fails, is
 * interrupted or hits its time limit.
 */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];

  /** Registers `run`; the returned function runs it now and unregisters it. */
  add(name: string, run: () => Promise<void>): () => Promise<void> {
    const step = { name, run };
    this.steps.push(step);

    return async () => {
      const position = this.steps.indexOf(step);
      if (position !== -1) {
        this.steps.splice(position, 1);
        await run();
      }
    };
  }

  /** Runs every step still registered; a failing step is reported and the rest still run. */
  async runAll(report: (message: string) => void): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        report(`cleanup "${step.name}" failed: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
}
