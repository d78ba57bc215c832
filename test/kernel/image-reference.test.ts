import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../kernel/image-reference.js';

const HEX = 'a'.repeat(64);

describe("parseImageReference (Docker's grammar)", () => {
  it.each([
    ['python:3.11', { path: 'python', tag: '3.11' }],
    ['cairn-local/python:3.11-numpy', { path: 'cairn-local/python', tag: '3.11-numpy' }],
    ['683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
      { domain: '683313688378.dkr.ecr.us-east-1.amazonaws.com', path: 'sagemaker-scikit-learn', tag: '1.2-1-cpu-py3' }],
    [`localhost:5000/a/b__c.d-e:_T@sha256:${HEX}`, { domain: 'localhost:5000', path: 'a/b__c.d-e', tag: '_T', digest: `sha256:${HEX}` }],
    ['[::1]:5000/x', { domain: '[::1]:5000', path: 'x' }],
    ['localhost:5000', { path: 'localhost', tag: '5000' }],
    [`sha256:${HEX}`, { path: `sha256:${HEX}` }],
    [`x:${'t'.repeat(128)}`, { path: 'x', tag: 't'.repeat(128) }],
  ])('accepts %s', (ref, parsed) => {
    expect(parseImageReference(ref)).toEqual({ ok: true, value: parsed });
  });

  it.each([
    ['', 'it is empty'],
    ['python:3.11-slimé', 'the tag "3.11-slimé" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"; it holds "é" (U+00E9)'],
    ['python:-x', 'the tag "-x" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"'],
    [`x:${'t'.repeat(129)}`, `the tag "${'t'.repeat(80)}…" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"`],
    ['Python:3', 'the path component "Python" is not lowercase letters and digits joined by ".", "_", "__" or "-" (the repository name must be lowercase)'],
    ['my image', 'the path component "my image" is not lowercase letters and digits joined by ".", "_", "__" or "-"; it holds the character U+0020'],
    ['a//b', 'the repository name "a//b" has an empty path component'],
    ['a/b-', 'the path component "b-" is not lowercase letters and digits joined by ".", "_", "__" or "-"'],
    ['a___b', 'the path component "a___b" is not lowercase letters and digits joined by ".", "_", "__" or "-"'],
    ['a@sha256:12', 'the digest "sha256:12" is not "<algorithm>:<hex>" (e.g. "sha256:" and at least 32 hex digits)'],
    ['host.com:port/x', 'the registry port "port" is not a number'],
    ['-bad.com/x', 'the registry host "-bad.com" is not a host name (labels of letters, digits and inner "-", joined by ".")'],
    [':tag', 'the repository name is empty'],
    ['a'.repeat(256), 'the repository name is 256 characters long (at most 255)'],
  ])('refuses %j', (ref, why) => {
    expect(parseImageReference(ref)).toEqual({ ok: false, error: why });
  });
});
