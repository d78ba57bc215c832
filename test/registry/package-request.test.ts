import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../kernel/json.js';
import { modelPackageArn, readPackageRequest } from '../../registry/request.js';

// Every rule of a CreateModelPackage request, with its exact sentence (issue 16: registry/request.ts under Stryker).

const read = (v: Parameters<typeof readPackageRequest>[0]) => readPackageRequest(v, 'Step R');
const bad = (error: string) => ({ ok: false, error: `Step R: ${error}` });
const STATS = { ContentType: 'application/json', S3Uri: 's3://b/stats.json' };

describe('readPackageRequest', () => {
  it('says what it got when the request is not an object', () => {
    expect(read(undefined)).toEqual(bad('the request must be an object (CreateModelPackage\'s fields), not nothing.'));
    expect(read([])).toEqual(bad('the request must be an object (CreateModelPackage\'s fields), not a list.'));
    expect(read('g')).toEqual(bad('the request must be an object (CreateModelPackage\'s fields), not string.'));
  });

  it('takes group names of 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit', () => {
    const group = (name: unknown) => read({ ModelPackageGroupName: name as string });
    const refused = (shown: string) => bad(`ModelPackageGroupName must be 1 to 63 letters, digits and hyphens (starting with a letter or digit), not ${shown}.`);
    for (const name of ['a', 'A-b--9', 'x'.repeat(63)]) expect(group(name)).toMatchObject({ ok: true, value: { group: name } });
    expect(group('x'.repeat(64))).toEqual(refused(`"${'x'.repeat(64)}"`));
    expect(group(`a${'-'.repeat(62)}b`)).toEqual(refused(`"a${'-'.repeat(62)}b"`));
    expect(group('-a')).toEqual(refused('"-a"'));
    expect(group('a-')).toEqual(refused('"a-"'));
    expect(group('')).toEqual(refused('""'));
    expect(group(7)).toEqual(refused('7'));
    expect(read({})).toEqual(refused('null'));
  });

  it('keeps the fields apart, with PendingManualApproval and empty objects by default', () => {
    expect(read({ ModelPackageGroupName: 'g' })).toStrictEqual({
      ok: true,
      value: { group: 'g', status: 'PendingManualApproval', customerMetadata: {}, inferenceSpecification: {}, modelMetrics: {}, request: { ModelPackageGroupName: 'g' } },
    });
    const full: JsonObject = {
      ModelPackageGroupName: 'g', ModelApprovalStatus: 'Approved', ModelPackageDescription: 'd', CustomerMetadataProperties: { k: 'v' },
      InferenceSpecification: { Containers: [7, { Image: 'i' }, { Image: 'i', ModelDataUrl: 's3://b/m1' }, { ModelDataUrl: 's3://b/m2' }] },
      ModelMetrics: { ModelQuality: { Statistics: STATS } },
    };
    expect(read(full)).toStrictEqual({
      ok: true,
      value: {
        group: 'g', status: 'Approved', description: 'd', customerMetadata: { k: 'v' }, inferenceSpecification: full.InferenceSpecification,
        modelMetrics: full.ModelMetrics, statisticsUri: 's3://b/stats.json', modelDataUrl: 's3://b/m1', request: full,
      },
    });
  });

  it('reads no statistics without ModelQuality.Statistics objects, and no model data without a Containers list', () => {
    for (const ModelMetrics of [{ ModelQuality: 'x' }, { ModelQuality: { Statistics: 'x' } }, { Other: { Statistics: STATS } }] as JsonValue[]) {
      const r = read({ ModelPackageGroupName: 'g', ModelMetrics, InferenceSpecification: { Containers: { ModelDataUrl: 's3://b/m' } } });
      expect(r.ok && [r.value.statisticsUri, r.value.modelDataUrl]).toEqual([undefined, undefined]);
    }
  });

  it('refuses each malformed field with a sentence naming it', () => {
    const g = { ModelPackageGroupName: 'g' };
    expect(read({ ...g, ModelApprovalStatus: 'Maybe' })).toEqual(bad('ModelApprovalStatus must be one of PendingManualApproval, Approved, Rejected, not "Maybe".'));
    expect(read({ ...g, ModelApprovalStatus: 1 })).toEqual(bad('ModelApprovalStatus must be one of PendingManualApproval, Approved, Rejected, not 1.'));
    expect(read({ ...g, ModelPackageDescription: 1 })).toEqual(bad('ModelPackageDescription must be a string.'));
    const metadata = bad('CustomerMetadataProperties must be an object of string values, e.g. {"model": "full"}.');
    expect(read({ ...g, CustomerMetadataProperties: ['a'] })).toEqual(metadata);
    expect(read({ ...g, CustomerMetadataProperties: { a: 'b', n: 1 } })).toEqual(metadata);
    expect(read({ ...g, InferenceSpecification: 'x' })).toEqual(bad('InferenceSpecification must be an object with "Containers".'));
    expect(read({ ...g, ModelMetrics: [] })).toEqual(bad('ModelMetrics must be an object such as {"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://…"}}}.'));
    const statsUri = bad('ModelMetrics.ModelQuality.Statistics.S3Uri must be the URI of the statistics JSON.');
    expect(read({ ...g, ModelMetrics: { ModelQuality: { Statistics: { S3Uri: '' } } } })).toEqual(statsUri);
    expect(read({ ...g, ModelMetrics: { ModelQuality: { Statistics: { S3Uri: 5 } } } })).toEqual(statsUri);
    expect(read({ ...g, InferenceSpecification: { Containers: [{ Image: 'i' }, { ModelDataUrl: 5 }] } }))
      .toEqual(bad('InferenceSpecification.Containers[1].ModelDataUrl must be a URI string.'));
  });
});

describe('modelPackageArn', () => {
  it('is the local account\'s ARN, the group lower-cased', () => {
    expect(modelPackageArn('Risky-Model', 12)).toBe('arn:aws:sagemaker:local:000000000000:model-package/risky-model/12');
  });
});
