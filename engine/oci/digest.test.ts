import { describe, expect, it } from 'vitest';
import { chainId, chainIds, checkDigest, digestHex, isDigest, sha256Digest } from './digest';

const base = 'sha256:14c7ffc0f492502f809eaeafd0b021d9ba9dfdcead6a7f2fa964ad1e3ab95f92';
const second = 'sha256:1645ae738d28508dc0f450a37bd6b1dbe8c2a9ba4a815755a6188346e79d4353';
const emptyTar = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

describe('chain ids', () => {
  it('match the OCI definition and what Docker stores', () => {
    // Docker 20.10 layerdb after `docker commit` on an imported image: chain 07666119… has
    // diff 1645ae… and parent 14c7ff…; by hand:
    //   printf 'sha256:14c7…5f92 sha256:1645…4353' | sha256sum → 07666119d183…4151
    //   printf 'sha256:07666119…4151 sha256:5f70…c6ef' | sha256sum → bba9767fb78e…2bac
    expect(chainIds([base, second, emptyTar])).toEqual([
      base,
      'sha256:07666119d183353f708ad9a74b8db0ab146cdc2e731243d60b6f83979d094151',
      'sha256:bba9767fb78ed1474227968c039ec1387e72e65d33b2899bb703c08a54b62bac',
    ]);
    expect(chainIds([])).toEqual([]);
    expect(chainId(null, second)).toBe(second);
  });

  it('refuse anything that is not a sha256 digest', () => {
    expect(() => chainIds([base, 'sha256:abc'])).toThrow(/invalid diff id/);
    expect(() => chainId('../../etc', second)).toThrow(/invalid chain id/);
    expect(() => digestHex(`sha256:${'A'.repeat(64)}`)).toThrow(/invalid digest/);
    expect(() => checkDigest(`sha512:${'a'.repeat(64)}`, 'image id')).toThrow(/invalid image id/);
    expect(isDigest(base)).toBe(true);
    expect(isDigest(`${base}\n`)).toBe(false);
  });

  it('hash bytes as sha256sum does', () => {
    // printf 'hello' | sha256sum
    expect(sha256Digest('hello')).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(sha256Digest(Buffer.alloc(0))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
