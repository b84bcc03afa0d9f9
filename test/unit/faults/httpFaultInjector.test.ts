// The sandbox's HTTP fault rules: seeded (same seed, same faults), bounded (`times`), placed
// (`after`), matched by method and path glob, never applied to the control endpoints, and
// validated with messages that say what is wrong.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { faultStatusBody, HttpFaultInjector, httpFaultsSchema } from '../../../src/sandbox/faults/httpFaults';

function injector(rules: unknown[], seed = 3): HttpFaultInjector {
  const i = new HttpFaultInjector();
  i.configure(httpFaultsSchema.parse({ seed, rules }));
  return i;
}

function decisions(i: HttpFaultInjector, n: number, method = 'PUT', path = '/rest/default/async/bulk/V1/products/bySku'): string[] {
  return Array.from({ length: n }, () => i.decide(method, path)?.rule.fault ?? '-');
}

describe('HTTP fault injector', () => {
  test('the same seed gives the same faults; another seed others', () => {
    const rules = [{ fault: 'status', status: 503, rate: 0.3 }, { fault: 'reset-mid-body', rate: 0.2 }];
    const a = decisions(injector(rules, 11), 200);
    assert.deepEqual(decisions(injector(rules, 11), 200), a);
    assert.notDeepEqual(decisions(injector(rules, 12), 200), a);
    const share = a.filter((d) => d !== '-').length / a.length;
    assert.ok(share > 0.3 && share < 0.6, `about 44% faulted, got ${share}`);
  });

  test('times bounds the injections, after skips the first matches, counters report both', () => {
    const i = injector([{ fault: 'revoke-tokens', after: 3, times: 2 }]);
    assert.deepEqual(decisions(i, 8), ['-', '-', '-', 'revoke-tokens', 'revoke-tokens', '-', '-', '-']);
    assert.deepEqual(i.current().counters, [{ matched: 8, injected: 2 }]);
  });

  test('method and path glob select the requests; control endpoints are never faulted', () => {
    const i = injector([{ fault: 'status', status: 500, method: 'GET', path: '/rest/*/V1/products/*' }]);
    assert.equal(i.decide('GET', '/rest/default/V1/products/MB-01')?.rule.status, 500);
    assert.equal(i.decide('POST', '/rest/default/V1/products/MB-01'), undefined);
    assert.equal(i.decide('GET', '/rest/default/V1/customers/1'), undefined);
    assert.equal(injector([{ fault: 'status', status: 500, path: '*' }]).decide('GET', '/__sandbox/stats'), undefined);
  });

  test('invalid rules are refused with the field named', () => {
    const bad = httpFaultsSchema.safeParse({ rules: [{ fault: 'status' }] });
    assert.equal(bad.success, false);
    assert.match(bad.error?.issues[0]?.message ?? '', /"status" fault needs "status"/);
    assert.equal(httpFaultsSchema.safeParse({ rules: [{ fault: 'explode' }] }).success, false);
    assert.equal(httpFaultsSchema.safeParse({ rules: [{ fault: 'status', status: 503, rate: 2 }] }).success, false);
  });

  test('bodies: Magento JSON for 500 and 429, HTML pages for the proxies and maintenance mode', () => {
    assert.match(JSON.parse(faultStatusBody(500, 'abc').text).message, /^Internal Error\. Details are available in Magento log file\. Report ID: webapi-abc$/);
    assert.deepEqual(JSON.parse(faultStatusBody(429, 'x').text), { message: 'Too Many Requests', trace: null });
    assert.match(faultStatusBody(503, 'x').text, /Service Temporarily Unavailable/);
    assert.match(faultStatusBody(502, 'x').contentType, /text\/html/);
  });
});
