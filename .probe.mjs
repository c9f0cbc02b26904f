import OpenAI from 'openai';
const c = new OpenAI({ baseURL: 'http://127.0.0.1:8790/v1', apiKey: 'sk-x', maxRetries: 0 });
const r1 = await c.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief', input: 'My name is Ada.' });
console.log(r1.id, r1.store, r1.output_text);
const r2 = await c.responses.create({ model: 'gpt-4o-mini', input: 'What is my name?', previous_response_id: r1.id });
console.log(r2.id, r2.previous_response_id, r2.output_text);
const s = await c.responses.create({ model: 'gpt-4o-mini', input: 'And again?', previous_response_id: r2.id, stream: true });
let last; for await (const e of s) last = e; console.log(last.type, last.response.id);
const got = await c.responses.retrieve(r2.id); console.log('retrieved', got.id === r2.id);
const items = await c.responses.inputItems.list(last.response.id); console.log(JSON.stringify(items.data));
console.log(await c.responses.delete(r1.id));
try { await c.responses.retrieve(r1.id) } catch (e) { console.log('after delete', e.status, e.message) }
try { await c.responses.create({ model: 'gpt-4o-mini', input: 'x', previous_response_id: r1.id }) } catch (e) { console.log('chain deleted', e.status, e.message) }
