/**
 * Every BullMQ queue of the product. Operators pick which ones a worker process
 * serves with WORKER_QUEUES, and scale each pool on its own.
 */
export const QUEUE_NAMES = ['scan', 'photo', 'venue', 'match', 'image', 'schedule', 'mail', 'export'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}
