/**
 * Where a step's outputs go (Processing `S3Output.S3Uri`, Training `OutputDataConfig.S3OutputPath` and
 * `CheckpointConfig.S3Uri`, Transform `TransformOutput.S3OutputPath`) must name one place in the `s3/` view, so no
 * `.` or `..` segment: on S3 they are ordinary key characters (`a/../b` is a key of its own), but in the `s3/` view
 * they would name another directory, possibly outside the bucket.
 *
 * Empty segments (`s3://b/prefix//x`, what joining a prefix that ends in `/` with "/" gives) are allowed: S3 keeps
 * `a//x` apart from `a/x`, the `s3/` view collapses them into one directory (for inputs as for outputs), which only
 * matters to a pipeline that writes both spellings.
 *
 * Refused at load time when the URI is written literally, and when the Arguments are resolved (before the container
 * starts) when it is an expression. `file://` URIs follow the same rule for their path.
 */
export function outputUriProblem(uri: string): string | undefined {
  let segments: string[];
  if (uri.startsWith('s3://')) segments = uri.slice('s3://'.length).split('/'); // the bucket too: s3://../x
  else if (uri.startsWith('file://')) segments = uri.slice('file://'.length).split('/');
  else return undefined; // the scheme is checked where the URI is used
  if (segments.some((s) => s === '.' || s === '..')) return 'has a "." or ".." path segment, which would name another place in the s3/ view';
  return undefined;
}
