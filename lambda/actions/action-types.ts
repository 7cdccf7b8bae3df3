import type { CacheRequest, EntryRef } from '../core/types';

/** The names an `action` field may hold: exact names, so that clients can rely on them. */
export const ACTION_NAMES = ['invalidate', 'reject', 'purge'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * A validated action (README "Taking an answer back"):
 * - `invalidate` one entry, named by its `entryId` (`entry`) or by the request it answers (`request`:
 *   the entry under that request's exact key and its own semantic document);
 * - `reject`: document `entry` must never answer `request` again (a semantic hit that was wrong for
 *   this question and right for its own);
 * - `purge`: every key of `namespace`.
 */
export type CacheAction =
  | { readonly action: 'invalidate'; readonly entry: EntryRef }
  | { readonly action: 'invalidate'; readonly request: CacheRequest }
  | { readonly action: 'reject'; readonly entry: EntryRef; readonly request: CacheRequest }
  | { readonly action: 'purge'; readonly namespace: string };

/**
 * What an action answers: how many entries it removed (`invalidated`: 0 when nothing was there,
 * not an error; `purged`), or whether the rejection was recorded (`rejected`: 0 when the entry is
 * gone). A purge that ran out of time says `complete: false`: the rest is removed by a rerun.
 */
export type ActionResult =
  | { readonly invalidated: number }
  | { readonly rejected: 0 | 1 }
  | { readonly purged: number; readonly complete?: false };
