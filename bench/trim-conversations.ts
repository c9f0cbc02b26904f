/**
 * The fixed long conversations `npm run bench:trim` trims, built from a seeded generator so every
 * run sees the same bytes. Each names its `needles`: the strings an answer to its final question
 * needs (the system rule, the facts the question is about), so the bench can tell whether a
 * strategy kept what matters.
 */
import type { ChatCompletionRequest, ChatMessage } from '../shared/api.js';

export interface BenchConversation {
  name: string;
  what: string;
  request: ChatCompletionRequest;
  needles: string[];
}

/** mulberry32: small, seeded, good enough to vary filler text. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'order parcel delivery refund invoice address courier warehouse label return damaged late customer account payment card receipt weekend tracking status'.split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return `${out.join(' ')}.`;
}

const SYSTEM = 'You are the support assistant of Parcelio. Always answer in French. Never promise a refund before the parcel is back in the warehouse.';

function supportChat(): BenchConversation {
  const rand = random(1);
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
  for (let i = 0; i < 80; i++) {
    messages.push({ role: 'user', content: `About order ${1000 + i}: ${sentence(rand, 30)}` });
    messages.push({ role: 'assistant', content: sentence(rand, 45) });
  }
  messages.push({ role: 'user', content: 'Order 4471 left the warehouse on Monday with courier DPD, tracking FR-88213.' });
  messages.push({ role: 'assistant', content: 'Merci, I see order 4471 in transit.' });
  messages.push({ role: 'user', content: 'When will order 4471 arrive, and can I get a refund if it is late?' });
  return { name: 'support-chat', what: '80 old turns, then a question about the last two', request: { model: 'gpt-4o', messages }, needles: ['Always answer in French', 'FR-88213', 'When will order 4471 arrive'] };
}

const POLICY = Array.from({ length: 12 }, (_, i) =>
  i === 6
    ? 'Clause 7.2: a damaged parcel may be returned within 45 days of delivery, with photos of the damage and the original label.'
    : `Clause ${i + 1}.1: ${sentence(random(100 + i), 70)}`,
).join('\n\n');

function repastedDocument(): BenchConversation {
  const rand = random(2);
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
  for (let i = 0; i < 6; i++) {
    messages.push({ role: 'user', content: `Here is the returns policy again:\n\n${POLICY}\n\n${sentence(rand, 15)}` });
    messages.push({ role: 'assistant', content: sentence(rand, 60) });
  }
  messages.push({ role: 'user', content: 'Under the policy, how long do I have to return a damaged parcel?' });
  return { name: 'repasted-document', what: 'a 12-clause policy pasted in 6 turns', request: { model: 'gpt-4o', messages }, needles: ['Always answer in French', 'within 45 days of delivery', 'return a damaged parcel'] };
}

/** Tool schemas as Pydantic emits them: a title on every field, $schema, examples, indented descriptions. */
function pydanticTool(name: string, fields: string[]): NonNullable<ChatCompletionRequest['tools']>[number] {
  const properties = Object.fromEntries(
    fields.map((f) => [f, { title: f.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()), type: 'string', description: `\n      The ${f.replace(/_/g, ' ')} of the request.\n      `, examples: [`example-${f}`] }]),
  );
  return {
    type: 'function',
    function: {
      name,
      description: `\n    ${name.replace(/_/g, ' ')}.\n\n    Call this when the customer asks for it.\n    `,
      parameters: { $schema: 'http://json-schema.org/draft-07/schema#', title: name, type: 'object', properties, required: fields.slice(0, 1) },
    },
  };
}

function agentWithTools(): BenchConversation {
  const rand = random(3);
  const tools = ['lookup_order', 'track_parcel', 'open_ticket', 'refund_order', 'update_address', 'list_invoices', 'check_stock', 'schedule_pickup'].map((n, i) =>
    pydanticTool(n, ['order_id', 'customer_id', 'reason', 'note', 'channel'].slice(0, 3 + (i % 3))),
  );
  const stock = JSON.stringify({ warehouse: 'Lyon', items: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${9900 + i}`, stock: (i * 7) % 23, bin: `B${i}` })) });
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
  for (let i = 0; i < 8; i++) {
    messages.push({ role: 'user', content: `Is item ${9900 + i} in stock? ${sentence(rand, 12)}` });
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `call_${i}`, type: 'function', function: { name: 'check_stock', arguments: '{"order_id":"w"}' } }] });
    messages.push({ role: 'tool', tool_call_id: `call_${i}`, content: stock });
    messages.push({ role: 'assistant', content: sentence(rand, 25) });
  }
  messages.push({ role: 'user', content: 'And how many of SKU-9931 are left?' });
  return { name: 'agent-tools', what: '8 Pydantic tool schemas, the same stock list returned 8 times', request: { model: 'gpt-4o', messages, tools }, needles: ['Always answer in French', '{"sku":"SKU-9931","stock":10', 'SKU-9931 are left'] };
}

function longThread(): BenchConversation {
  const rand = random(4);
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
  for (let i = 0; i < 200; i++) {
    messages.push({ role: 'user', content: sentence(rand, 25 + Math.floor(rand() * 30)) });
    messages.push({ role: 'assistant', content: `${sentence(rand, 40)}    \n\n\n\n   ${sentence(rand, 20)}` });
  }
  messages.push({ role: 'user', content: 'My new address is 12 rue Oberkampf, Paris. Please update order 5120.' });
  return { name: 'long-thread', what: '200 turns with padded answers, then an address change', request: { model: 'gpt-4o', messages }, needles: ['Always answer in French', '12 rue Oberkampf', 'order 5120'] };
}

const QUEUES: Record<string, string> = {
  refunds: 'I want my money back for the order, please refund the payment to my card',
  delivery: 'the courier has not delivered my parcel yet and tracking shows no movement',
  address: 'I moved house and need to change the delivery address on my account',
  invoices: 'please send me a copy of the invoice with my company VAT number on it',
  damaged: 'the parcel arrived broken, the box was crushed and the lamp inside is cracked',
  login: 'I cannot sign in, the password reset email never arrives',
  pickup: 'can a courier collect a return from my office on Friday afternoon',
  stock: 'when will the blue kettle be back in stock at the warehouse',
};

function fewShotClassifier(): BenchConversation {
  const rand = random(5);
  const messages: ChatMessage[] = [{ role: 'system', content: 'Classify each support ticket into one queue. Answer with the queue name only.' }];
  for (let round = 0; round < 3; round++) {
    for (const [queue, text] of Object.entries(QUEUES)) {
      messages.push({ role: 'system', name: 'example_user', content: `Ticket: ${text}. ${sentence(rand, 20)}` });
      messages.push({ role: 'system', name: 'example_assistant', content: `queue: ${queue}` });
    }
  }
  messages.push({ role: 'user', content: 'Ticket: my parcel arrived broken, the box was crushed and the vase inside is cracked.' });
  return {
    name: 'few-shot',
    what: '24 few-shot examples over 8 queues, then one ticket',
    request: { model: 'gpt-4o', messages },
    needles: ['Answer with the queue name only', 'queue: damaged', 'the vase inside is cracked'],
  };
}

export function benchConversations(): BenchConversation[] {
  return [supportChat(), repastedDocument(), agentWithTools(), longThread(), fewShotClassifier()];
}
