import type { WorkItemStatus } from '../../protocol/work-items';

/**
 * The life of an item: open → in-progress → resolved → closed; a resolved or closed item can be
 * reopened (the caller rang back: it was not resolved). Claiming an open item moves it to
 * in-progress. Resolving and closing need a note: the desk's answer is what the caller is told.
 */
const NEXT: Record<WorkItemStatus, readonly WorkItemStatus[]> = {
  open: ['in-progress', 'resolved', 'closed'],
  'in-progress': ['resolved', 'closed', 'open'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export const canMove = (from: WorkItemStatus, to: WorkItemStatus): boolean => NEXT[from].includes(to);
export const needsNote = (to: WorkItemStatus): boolean => to === 'resolved' || to === 'closed';
export const isDone = (status: WorkItemStatus): boolean => status === 'resolved' || status === 'closed';
export const isOverdue = (item: { status: WorkItemStatus; dueAt: string }, now: string): boolean => !isDone(item.status) && item.dueAt < now;
