import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactKnownSecrets } from '../../src/core/http/redactor';

test('redacts Authorization headers, bearer tokens and OAuth signatures', () => {
  const raw = 'Authorization: Bearer eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.abc.def and oauth_signature="c2lnbmF0dXJl" oauth_token=abcdef0123456789';
  const out = redactText(raw);
  assert.ok(!out.includes('eyJraWQ'));
  assert.ok(!out.includes('c2lnbmF0dXJl'));
  assert.ok(!out.includes('abcdef0123456789'));
});

test('redacts JSON password fields and redis URL passwords', () => {
  const out = redactText('{"username":"admin","password":"s3cr3t-Pa55"} redis://user:hunter22@127.0.0.1:6379');
  assert.ok(!out.includes('s3cr3t-Pa55'));
  assert.ok(!out.includes('hunter22'));
  assert.ok(out.includes('"username":"admin"'));
});

test('redactKnownSecrets removes exact values anywhere', () => {
  assert.equal(redactKnownSecrets('x=ZZtopSecretZZ;', ['ZZtopSecretZZ']), 'x=***;');
});
