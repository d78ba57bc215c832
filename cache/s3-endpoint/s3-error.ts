/**
 * An S3 error response as data: the `Code` S3 sends, its HTTP status, a message, and the extra elements S3 adds
 * (`Key`, `BucketName`, `UploadId`…). cache/s3-endpoint/s3-xml.ts renders it as S3's `<Error>` body.
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const noSuchKey = (bucket: string, key: string): S3Error =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key, BucketName: bucket });

export const noSuchUpload = (uploadId: string): S3Error =>
  new S3Error('NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId });

export const invalidArgument = (message: string, name?: string, value?: string): S3Error =>
  new S3Error('InvalidArgument', 400, message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' });

export const accessDenied = (message = 'Access Denied'): S3Error => new S3Error('AccessDenied', 403, message);

export const notImplemented = (operation: string): S3Error =>
  new S3Error('NotImplemented', 501, `cairn's S3 endpoint does not implement ${operation}.`, { Operation: operation });

export const malformedXml = (): S3Error =>
  new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.');

export const badDigest = (what: string): S3Error =>
  new S3Error('BadDigest', 400, `The ${what} you specified did not match the calculated checksum.`);
