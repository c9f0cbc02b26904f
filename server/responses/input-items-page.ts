import type { InputItem, InputItemsQuery } from '../../shared/responses-api.js';

export interface InputItemsPage {
  object: 'list';
  data: InputItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/**
 * A page of a response's input items as OpenAI lists them: a message's text as a content part, in
 * the order asked, after the item `after` names, at most `limit`. Null when `after` names no item of
 * this response (a cursor from elsewhere must not restart the listing from the top).
 */
export function inputItemsPage(items: readonly InputItem[], query: InputItemsQuery): InputItemsPage | null {
  const ordered = query.order === 'desc' ? [...items].reverse() : [...items];
  const after = query.after ? ordered.findIndex((item) => item.id === query.after) : -1;
  if (query.after && after < 0) return null;
  const data = ordered.slice(after + 1, after + 1 + query.limit).map(listed);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: after + 1 + data.length < ordered.length };
}

function listed(item: InputItem): InputItem {
  if (item.type !== 'message' || typeof item.content !== 'string') return item;
  return { ...item, content: [item.role === 'assistant' ? { type: 'output_text', text: item.content } : { type: 'input_text', text: item.content }] };
}
