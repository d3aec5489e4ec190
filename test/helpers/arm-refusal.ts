/** The ARM error a domain service or handler refused with (fails the test if it did not refuse, or threw something else). */
import assert from 'node:assert/strict';
import { ArmError } from '../../src/kernel/arm-errors.js';

export async function refusal(promise: Promise<unknown>): Promise<ArmError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ArmError, `an ARM error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}
