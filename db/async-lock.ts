/**
 * A FIFO mutex. Callers check `busy` first and run synchronously when it is free, so a statement
 * outside any transaction never waits a tick (and never lands inside a transaction begun meanwhile).
 */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.held++;
    this.tail = new Promise<void>((resolve) => {
      release = () => {
        this.held--;
        resolve();
      };
    });
    await previous;
    return release;
  }

  get busy(): boolean {
    return this.held > 0;
  }
}
