"""The same S3 operations through boto3 (flexible checksums on, as boto3 >= 1.36 does by default), printed as a
normalised JSON transcript: each step's parsed response without what differs by nature (RequestIds, dates, owners,
upload ids, continuation tokens and markers, Location) or what moto leaves out (ChecksumType, an empty Prefix echo), or
its error code and HTTP status. test/s3-endpoint/boto3-transcript.test.ts runs it against moto and against cairn's endpoint.

usage: boto3_transcript.py <endpoint> <access key> <secret> <session token or ''> <work dir>
"""
import hashlib
import json
import os
import sys

import boto3
import botocore
from boto3.s3.transfer import TransferConfig

endpoint, key, secret, token, work = sys.argv[1:6]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=key,
                  aws_secret_access_key=secret, aws_session_token=token or None,
                  config=botocore.config.Config(retries={'max_attempts': 1}))
BUCKET = 'cairn-boto3-bucket'
IGNORED = {'ResponseMetadata', 'LastModified', 'CreationDate', 'Owner', 'UploadId', 'Initiated', 'Expiration',
           'NextContinuationToken', 'ContinuationToken', 'Location', 'Marker', 'NextMarker', 'BucketArn', 'BucketRegion',
           'ChecksumType', 'ServerSideEncryption'}
transcript = []


def clean(v):
    if isinstance(v, dict):
        # an empty Prefix echo: S3 sends it, moto's ListObjects (v1) does not
        return {k: clean(x) for k, x in sorted(v.items()) if k not in IGNORED and not (k == 'Prefix' and x == '')}
    if isinstance(v, list):
        return [clean(x) for x in v]
    if hasattr(v, 'read'):
        return v.read().decode('latin1')[:64]
    return v


def step(name, fn):
    try:
        transcript.append([name, clean(fn())])
    except botocore.exceptions.ClientError as e:
        transcript.append([name, {'error': e.response['Error'].get('Code'),
                                  'status': e.response['ResponseMetadata']['HTTPStatusCode']}])


def pages(op, **kw):
    return [clean(p) for p in s3.get_paginator(op).paginate(Bucket=BUCKET, **kw)]


step('create_bucket', lambda: s3.create_bucket(Bucket=BUCKET))
step('head_bucket', lambda: s3.head_bucket(Bucket=BUCKET))
step('get_bucket_location', lambda: s3.get_bucket_location(Bucket=BUCKET))
step('put_object', lambda: s3.put_object(Bucket=BUCKET, Key='data/train.csv', Body=b'a,b\n1,2\n', ContentType='text/csv'))
for k in ['data/val.csv', 'data/sub/x.csv', 'model/model.tar.gz', 'top.txt']:
    step('put_object ' + k, lambda k=k: s3.put_object(Bucket=BUCKET, Key=k, Body=k.encode() * 3))
step('head_object', lambda: s3.head_object(Bucket=BUCKET, Key='data/train.csv'))
step('get_object', lambda: s3.get_object(Bucket=BUCKET, Key='data/train.csv'))
step('get_object range', lambda: s3.get_object(Bucket=BUCKET, Key='data/train.csv', Range='bytes=4-'))
step('get_object missing', lambda: s3.get_object(Bucket=BUCKET, Key='data/none.csv'))
step('head_object missing', lambda: s3.head_object(Bucket=BUCKET, Key='data/none.csv'))
step('get_object bad range', lambda: s3.get_object(Bucket=BUCKET, Key='data/train.csv', Range='bytes=100-'))
step('list_objects_v2 pages', lambda: pages('list_objects_v2', PaginationConfig={'PageSize': 2}))
step('list_objects_v2 delimiter', lambda: pages('list_objects_v2', Prefix='data/', Delimiter='/'))
step('list_objects pages', lambda: pages('list_objects', PaginationConfig={'PageSize': 2}))
step('copy_object', lambda: s3.copy_object(Bucket=BUCKET, Key='copy/train.csv', CopySource={'Bucket': BUCKET, 'Key': 'data/train.csv'}))
step('get copy', lambda: s3.get_object(Bucket=BUCKET, Key='copy/train.csv'))

big = os.path.join(work, 'big.bin')
with open(big, 'wb') as f:
    for i in range(9 * 1024):  # 9 MiB: boto3's upload_file goes multipart above 8 MiB
        f.write(hashlib.sha256(str(i).encode()).digest() * 32)
cfg = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=2)
step('upload_file 9 MiB', lambda: s3.upload_file(big, BUCKET, 'big/big.bin', Config=cfg))
step('head big', lambda: s3.head_object(Bucket=BUCKET, Key='big/big.bin'))
back = os.path.join(work, 'back.bin')
step('download_file (ranged parts)', lambda: s3.download_file(BUCKET, 'big/big.bin', back,
                                                              Config=TransferConfig(multipart_threshold=1024 * 1024, multipart_chunksize=1024 * 1024)))
digest = lambda p: hashlib.sha256(open(p, 'rb').read()).hexdigest()
transcript.append(['downloaded bytes match', os.path.exists(back) and digest(back) == digest(big)])
step('get big range', lambda: s3.get_object(Bucket=BUCKET, Key='big/big.bin', Range='bytes=8388600-8388610'))
step('delete_object', lambda: s3.delete_object(Bucket=BUCKET, Key='top.txt'))
step('delete_objects', lambda: s3.delete_objects(Bucket=BUCKET, Delete={'Objects': [{'Key': 'data/val.csv'}, {'Key': 'nope'}]}))
step('list after', lambda: pages('list_objects_v2'))
print(json.dumps(transcript))
