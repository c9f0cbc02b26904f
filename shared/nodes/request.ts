import { z } from 'zod';
import { defineNode, NO_LEAVE } from './spec.js';

export const requestNode = defineNode({
  kind: 'request',
  title: 'Request',
  description: 'Where every request enters the policy. Exactly one per graph.',
  category: 'entry',
  color: '#64748b',
  icon: '⇥',
  params: z.object({}),
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: () => 'every request starts here',
  labels: {},
  itemNames: {},
  action: null,
  fact: null,
  leave: () => NO_LEAVE,
});
