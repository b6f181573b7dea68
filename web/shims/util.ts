/** `util.inherits`, the one function of node:util yauzl uses (to declare its classes). */
export function inherits(child: { prototype: object }, parent: { prototype: object }): void {
  Object.setPrototypeOf(child.prototype, parent.prototype);
  Object.setPrototypeOf(child, parent);
}

export default { inherits };
