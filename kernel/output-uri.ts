/**
 * Where a step's outputs go (Processing `S3Output.S3Uri`, Training `OutputDataConfig.S3OutputPath` and
 * `CheckpointConfig.S3Uri`, Transform `TransformOutput.S3OutputPath`) must name one place in the `s3/` view:
 *
 * - no `.` or `..` segment: on S3 they are ordinary key characters (`a/../b` is its own key), but in the `s3/` view
 *   they would name another directory, possibly outside the bucket;
 * - no empty segment inside the key (`s3://b/a//c`): S3 keeps `a//c` apart from `a/c`, the `s3/` view cannot, so two
 *   outputs would share one directory. One trailing `/` stays allowed (it only says "a prefix").
 *
 * Refused at load time when the URI is written literally, and when the Arguments are resolved (before the container
 * starts) when it is an expression. `file://` URIs follow the same rule for their path.
 */
export function outputUriProblem(uri: string): string | undefined {
  let key: string;
  if (uri.startsWith('s3://')) {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return undefined;
    key = rest.slice(slash + 1);
  } else if (uri.startsWith('file://')) {
    key = uri.slice('file://'.length).replace(/^(localhost)?\//, '');
  } else {
    return undefined; // the scheme is checked where the URI is used
  }
  const segments = key.split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  if (segments.some((s) => s === '.' || s === '..')) return 'has a "." or ".." path segment, which would name another place in the s3/ view';
  if (segments.some((s) => s === '')) return 'has an empty path segment ("//"), which the s3/ view cannot keep apart from a single "/"';
  return undefined;
}
