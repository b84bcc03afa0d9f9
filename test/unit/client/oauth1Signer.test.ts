import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  hmacSignature,
  normalizeSignatureUrl,
  rfc3986Encode,
  signatureBaseString,
  signedParameters,
  signOAuth1,
} from '../../../src/core/auth/oauth1Signer';

describe('OAuth 1.0a signer — published vectors', () => {
  test('RFC 5849 §3.4.1.1 example base string (form body signed, query decoded, duplicates kept per RFC)', () => {
    const input = {
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      contentType: 'application/x-www-form-urlencoded',
      body: 'c2&a3=2+q',
    };
    const oauth = {
      oauth_consumer_key: '9djdj82h48djs9d2',
      oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201',
      oauth_nonce: '7d8f3e4a',
      oauth_signature: 'bYT5CMsGcbgUdFHObYMEfcx6bsw=',
    };
    const base = signatureBaseString(input.method, input.url, signedParameters(input, oauth), 'rfc5849');
    assert.equal(
      base,
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  test('classic HMAC-SHA1 vector (photos.example.net, OAuth Core 1.0 appendix / term.ie)', () => {
    const signed = signOAuth1(
      { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', accessToken: 'nnch734d00sl2jdk', accessTokenSecret: 'pfkkdhi9sl3r4s00' },
      { method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original' },
      { nonce: 'kllo9940pd9333jh', timestamp: 1191242096, signatureMethod: 'HMAC-SHA1' },
    );
    assert.equal(
      signed.baseString,
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
    assert.equal(signed.signature, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
    assert.match(signed.authorization, /oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"/);
  });

  test('Twitter "creating a signature" HMAC-SHA1 vector (form body signed, RFC 3986 encoding of !,+)', () => {
    const signed = signOAuth1(
      {
        consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
        consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        accessToken: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        accessTokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
      {
        method: 'post',
        url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
        contentType: 'application/x-www-form-urlencoded',
        body: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
      },
      { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958, signatureMethod: 'HMAC-SHA1' },
    );
    assert.equal(signed.signature, 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });
});

describe('OAuth 1.0a signer — Magento rules', () => {
  const credentials = { consumerKey: 'ck'.repeat(16), consumerSecret: 'cs'.repeat(16), accessToken: 'at'.repeat(16), accessTokenSecret: 'as'.repeat(16) };

  test('HMAC-SHA256 by default, key is enc(consumer secret)&enc(token secret)', () => {
    const signed = signOAuth1(credentials, { method: 'GET', url: 'https://Store.Example.com:443/rest/default/V1/store/storeViews' }, { nonce: 'n1', timestamp: 1700000000 });
    assert.equal(signed.oauthParams.oauth_signature_method, 'HMAC-SHA256');
    const expected = createHmac('sha256', `${credentials.consumerSecret}&${credentials.accessTokenSecret}`).update(signed.baseString).digest('base64');
    assert.equal(signed.signature, expected);
    assert.ok(signed.baseString.startsWith('GET&https%3A%2F%2Fstore.example.com%2Frest%2Fdefault%2FV1%2Fstore%2FstoreViews&'));
  });

  test('bracketed searchCriteria query keys are signed flat, sorted by decoded key', () => {
    const url = 'http://127.0.0.1:8080/rest/default/V1/products?searchCriteria%5BpageSize%5D=5&searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MB%25';
    const pairs = signedParameters({ method: 'GET', url }, { oauth_nonce: 'x' });
    const keys = pairs.map(([k]) => k);
    assert.ok(keys.includes('searchCriteria[pageSize]'));
    assert.ok(keys.includes('searchCriteria[filter_groups][0][filters][0][value]'));
    assert.deepEqual(pairs.find(([k]) => k.endsWith('[value]')), ['searchCriteria[filter_groups][0][filters][0][value]', 'MB%']);
    const base = signatureBaseString('GET', url, pairs);
    const params = decodeURIComponent(base.split('&')[2]!);
    assert.equal(params, 'oauth_nonce=x&searchCriteria%5Bfilter_groups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku&searchCriteria%5Bfilter_groups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=MB%25&searchCriteria%5BpageSize%5D=5');
    assert.equal(base.split('&')[1], rfc3986Encode('http://127.0.0.1:8080/rest/default/V1/products'));
  });

  test('JSON bodies are not signed; form bodies are', () => {
    const url = 'https://s.example.com/rest/V1/products';
    const json = signedParameters({ method: 'POST', url, contentType: 'application/json', body: '{"product":{"sku":"a"}}' }, {});
    assert.deepEqual(json, []);
    const form = signedParameters({ method: 'POST', url, contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: 'a=1&b=two+words' }, {});
    assert.deepEqual(form, [['a', '1'], ['b', 'two words']]);
  });

  test('a repeated query key keeps its last value; a + in the query stays a + (rawurldecode)', () => {
    const pairs = signedParameters({ method: 'GET', url: 'http://x/rest/V1/a?k=1&k=2&p=a+b' }, {});
    assert.equal(signatureBaseString('GET', 'http://x/rest/V1/a', pairs).split('&')[2], rfc3986Encode('k=2&p=a%2Bb'));
  });

  test('URL normalisation: scheme/host lower-cased, default ports dropped, other ports and path kept', () => {
    assert.equal(normalizeSignatureUrl('HTTPS://Shop.Example.COM:443/Sub/rest/V1/x?y=1#f'), 'https://shop.example.com/Sub/rest/V1/x');
    assert.equal(normalizeSignatureUrl('http://shop:80/rest'), 'http://shop/rest');
    assert.equal(normalizeSignatureUrl('http://shop:8080/rest'), 'http://shop:8080/rest');
  });

  test('rfc3986Encode escapes !*\'() and keeps ~', () => {
    assert.equal(rfc3986Encode("a b!*'()~+/"), 'a%20b%21%2A%27%28%29~%2B%2F');
  });

  test('hmacSignature encodes the secrets in the key', () => {
    const expected = createHmac('sha256', 'a%26b&c%20d').update('base').digest('base64');
    assert.equal(hmacSignature('HMAC-SHA256', 'base', 'a&b', 'c d'), expected);
  });

  test('every oauth value is quoted and encoded in the header; a new nonce per call', () => {
    const a = signOAuth1(credentials, { method: 'GET', url: 'https://s/rest/V1/x' });
    const b = signOAuth1(credentials, { method: 'GET', url: 'https://s/rest/V1/x' });
    assert.notEqual(a.oauthParams.oauth_nonce, b.oauthParams.oauth_nonce);
    assert.match(a.authorization, /^OAuth oauth_consumer_key="[^"]+", oauth_nonce="[0-9a-f]{32}", oauth_signature_method="HMAC-SHA256", oauth_timestamp="\d+", oauth_version="1.0", oauth_token="[^"]+", oauth_signature="[^"]+"$/);
  });
});
