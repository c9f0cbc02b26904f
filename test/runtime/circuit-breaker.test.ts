import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from '../../server/runtime/circuit-breaker.js';

const key = { provider: 'openai', model: 'gpt-4o' };
const other = { provider: 'openai', model: 'gpt-4o-mini' };
const breakers = () => new CircuitBreakers({ failures: 3, windowMs: 1000, openMs: 500 });
const stateOf = (b: CircuitBreakers, now: number) => b.status(now).find((s) => s.model === key.model)?.state;

describe('circuit breaker', () => {
  it('stays closed below the threshold and opens at it, for that provider and model only', () => {
    const b = breakers();
    b.record(key, false, 0);
    b.record(key, false, 10);
    expect(b.isHealthy(key, 20)).toBe(true);
    b.record(key, false, 30);
    expect(b.isHealthy(key, 40)).toBe(false);
    expect(stateOf(b, 40)).toBe('open');
    expect(b.isHealthy(other, 40)).toBe(true);
  });

  it('counts only the failures inside the window', () => {
    const b = breakers();
    b.record(key, false, 0);
    b.record(key, false, 500);
    b.record(key, false, 1200);
    expect(b.isHealthy(key, 1201)).toBe(true);
    expect(b.status(1201)[0]!.failures).toBe(2);
  });

  it('after openMs lets exactly one probe through, of 50 requests asking at once', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.record(key, false, i);
    expect(b.isHealthy(key, 400)).toBe(false);
    const answers = Array.from({ length: 50 }, () => b.isHealthy(key, 600));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(stateOf(b, 600)).toBe('halfOpen');
  });

  it('closes when the probe succeeds', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.record(key, false, i);
    expect(b.isHealthy(key, 600)).toBe(true);
    b.record(key, true, 610);
    expect(stateOf(b, 610)).toBe('closed');
    expect(b.isHealthy(key, 620)).toBe(true);
    expect(b.status(620)[0]!.failures).toBe(0);
  });

  it('opens again when the probe fails, for another openMs', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.record(key, false, i);
    expect(b.isHealthy(key, 600)).toBe(true);
    b.record(key, false, 610);
    expect(stateOf(b, 610)).toBe('open');
    expect(b.isHealthy(key, 1000)).toBe(false);
    expect(b.isHealthy(key, 1111)).toBe(true);
  });

  it('grants a new probe when the last one never reported back within probeTimeoutMs', () => {
    const b = new CircuitBreakers({ failures: 3, windowMs: 1000, openMs: 500, probeTimeoutMs: 500 });
    for (let i = 0; i < 3; i++) b.record(key, false, i);
    expect(b.isHealthy(key, 600)).toBe(true);
    expect(b.isHealthy(key, 900)).toBe(false);
    expect(b.isHealthy(key, 1100)).toBe(true);
  });

  it('by default waits a minute for a slow probe, however short openMs is', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.record(key, false, i);
    expect(b.isHealthy(key, 600)).toBe(true);
    expect(b.isHealthy(key, 60_599)).toBe(false);
    expect(b.isHealthy(key, 60_600)).toBe(true);
  });
});
