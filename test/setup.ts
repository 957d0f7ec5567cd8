// cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) are written for Jest; they
// register themselves on the global `expect`, which vitest provides once it is made global.
import { expect } from 'vitest';
import { Testing } from 'cdktf';

(globalThis as unknown as { expect: typeof expect }).expect = expect;
Testing.setupJest();

interface CdktfMatchers<R = unknown> {
  toHaveResource(resourceType: { tfResourceType: string }): R;
  toHaveResourceWithProperties(resourceType: { tfResourceType: string }, properties: Record<string, unknown>): R;
  toHaveDataSource(dataSourceType: { tfResourceType: string }): R;
  toHaveProvider(providerType: { tfResourceType: string }): R;
}

declare module 'vitest' {
  // Merges into vitest's own `interface Assertion<T = any>`: the declarations must agree, `any` default included.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any -- declaration merging needs vitest's exact shape
  interface Assertion<T = any> extends CdktfMatchers<T> {}
}
