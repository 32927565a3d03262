/**
 * The one empty list the step code hands out wherever a call has none of something (no effects,
 * needs, pitches, offers, open options, prompts): frozen, so that every waiting call can share it
 * instead of keeping an array of its own (an idle call's memory; docs/PERFORMANCE.md, twenty-ninth
 * and thirtieth sessions). Nothing in the step code changes a list in place.
 */
const EMPTY: readonly never[] = Object.freeze([]);

export const noneYet = <T>(): T[] => EMPTY as unknown as T[];
