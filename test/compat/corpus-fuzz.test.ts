import { describe, test } from 'vitest';
import type { JsonValue } from '../../kernel/json.js';
import { assertEditedSeedsLoad, assertMutatedSeedsLoad } from '../support/definition-fuzz.js';
import { compatFiles, readCompat } from '../support/compat-corpus.js';

// The properties of test/engine/load-definition-fuzz.test.ts, seeded from the real-world corpus.
const CORPUS = compatFiles().map((f) => readCompat<JsonValue>(f));

describe('loadDefinitionText never throws on the corpus, mutated', () => {
  test('corpus files with a key deleted or a value replaced', () => {
    assertMutatedSeedsLoad(CORPUS);
  });

  test('corpus files with the text cut or a character inserted', () => {
    assertEditedSeedsLoad(CORPUS);
  });
});
