/** The `size` items with the largest weight seen so far, largest first; ties keep the earlier item. */
export class TopChanged<T> {
  private readonly items: { weight: number; item: T }[] = [];

  constructor(private readonly size: number) {}

  /** Whether an item of this weight would be kept: ask before paying for its details. */
  admits(weight: number): boolean {
    return this.items.length < this.size || weight > this.items[this.items.length - 1]!.weight;
  }

  add(weight: number, item: T): void {
    if (!this.admits(weight)) return;
    let at = this.items.length;
    while (at > 0 && this.items[at - 1]!.weight < weight) at--;
    this.items.splice(at, 0, { weight, item });
    if (this.items.length > this.size) this.items.pop();
  }

  list(): T[] {
    return this.items.map((i) => i.item);
  }
}
