import { describe, expect, it } from 'vitest';
import { benchTaskQuery, parseBenchTask } from '../../src/bench/tasks';

describe('bench page URL', () => {
  it('round-trips a throughput and an overhead task', () => {
    const throughput = parseBenchTask('?task=throughput&backend=webgl&model=resnet20&batch=128&warmup=2&steps=5&samples=4&seed=3');
    expect(throughput).toEqual({
      task: 'throughput',
      backend: 'webgl',
      model: 'resnet20',
      batchSize: 128,
      warmupSteps: 2,
      stepsPerSample: 5,
      samples: 4,
      seed: 3,
    });
    expect(parseBenchTask(`?${benchTaskQuery(throughput!)}`)).toEqual(throughput);
    const overhead = parseBenchTask('?task=overhead&backend=webgpu&model=conv&batch=32&train-size=256&epochs=10');
    expect(overhead).toMatchObject({ task: 'overhead', trainSize: 256, epochs: 10 });
    expect(parseBenchTask(`?${benchTaskQuery(overhead!)}`)).toEqual(overhead);
  });

  it('has no task without ?task', () => {
    expect(parseBenchTask('')).toBeNull();
  });

  it('names the bad parameter', () => {
    expect(() => parseBenchTask('?task=throughput&backend=wasm')).toThrow(/backend=wasm/);
    expect(() => parseBenchTask('?task=throughput&model=vgg')).toThrow(/model=vgg/);
    expect(() => parseBenchTask('?task=throughput&batch=1.5')).toThrow(/batch=1.5/);
    expect(() => parseBenchTask('?task=throughput&samples=0')).toThrow(/samples=0/);
    expect(() => parseBenchTask('?task=sweep')).toThrow(/task=sweep/);
  });
});
