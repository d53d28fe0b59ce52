import { createRequire } from 'node:module';
import type btreeModule from 'sorted-btree';

/*
 * sorted-btree is a CommonJS package whose class is its `default` export. How an ES
 * module's default import of it resolves differs between loaders (Node gives the whole
 * module object, a transpiler may give the class), so it is required plainly, once, here.
 */
const require = createRequire(import.meta.url);
const { default: BTree } = require('sorted-btree') as typeof btreeModule;

/** A B+ tree: keys kept in order as they come and go, each change O(log n). */
export type SortedTree<K, V> = btreeModule.default<K, V>;

/**
 * A new tree ordered by `compare`, or by the keys' natural order (strings: code unit
 * order, as row keys sort).
 */
export const sortedTree = <K, V>(compare?: (a: K, b: K) => number): SortedTree<K, V> =>
  new BTree<K, V>(undefined, compare);
