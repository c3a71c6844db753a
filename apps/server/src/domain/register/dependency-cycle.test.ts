import { describe, expect, it } from 'vitest';
import { findCycleThrough } from './dependency-cycle.js';

const graph = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? [];

describe('findCycleThrough', () => {
  it.each<{ title: string; edges: Record<string, string[]>; start: string; cycle: string[] | null }>([
    { title: 'no dependencies', edges: {}, start: 'a', cycle: null },
    { title: 'a chain', edges: { a: ['b'], b: ['c'] }, start: 'a', cycle: null },
    { title: 'a diamond is not a cycle', edges: { a: ['b', 'c'], b: ['d'], c: ['d'] }, start: 'a', cycle: null },
    { title: 'two systems', edges: { a: ['b'], b: ['a'] }, start: 'a', cycle: ['a', 'b', 'a'] },
    { title: 'three systems', edges: { a: ['b'], b: ['c'], c: ['a'] }, start: 'a', cycle: ['a', 'b', 'c', 'a'] },
    {
      title: 'the shortest of two cycles',
      edges: { a: ['b', 'x'], b: ['c'], c: ['a'], x: ['a'] },
      start: 'a',
      cycle: ['a', 'x', 'a'],
    },
    {
      title: 'a cycle elsewhere is not through start',
      edges: { a: ['b'], b: ['c'], c: ['b'] },
      start: 'a',
      cycle: null,
    },
    { title: 'itself', edges: { a: ['a'] }, start: 'a', cycle: ['a', 'a'] },
  ])('$title', ({ edges, start, cycle }) => {
    expect(findCycleThrough(start, graph(edges))).toEqual(cycle);
  });
});
