import { useEffect, useState } from 'react';
import { DEFAULT_PRICING, type PricingTable } from '../../../shared/pricing.js';
import { api } from './api-client.js';

/** The runtime's pricing table (with its overrides); the built-in one until it answers. */
export function usePricing(): PricingTable {
  const [pricing, setPricing] = useState<PricingTable>(DEFAULT_PRICING);
  useEffect(() => {
    api.pricing().then(setPricing, () => undefined);
  }, []);
  return pricing;
}
