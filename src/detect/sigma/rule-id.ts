/**
 * @module detect/sigma/rule-id
 * A stable id for a rule or correlation without `id` (rules spec "Identification": the id is
 * optional): a UUID-shaped SHA-256 of the file path and title, so alerts stay deduplicated across
 * restarts and replays as long as the rule keeps its file and title.
 */
import { createHash } from 'node:crypto';

export function deriveRuleId(file: string, title: string): string {
  const h = createHash('sha256').update(`${file}\n${title}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
