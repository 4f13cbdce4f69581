/**
 * A list of event subscribers, as every host's `onEvent` needs: `add` returns the unsubscribe;
 * `emit` calls each subscriber present when it starts, in subscription order. A subscriber that
 * unsubscribes (itself or another) during an emit does not disturb that emit.
 */
export class Subscribers<T> {
  private list: ((value: T) => void)[] = [];

  add(handler: (value: T) => void): () => void {
    const entry = (value: T) => handler(value); // a fresh identity: the same handler may subscribe twice
    this.list = [...this.list, entry];
    return () => {
      this.list = this.list.filter((h) => h !== entry);
    };
  }

  emit(value: T): void {
    for (const h of this.list) h(value);
  }

  get size(): number {
    return this.list.length;
  }
}
