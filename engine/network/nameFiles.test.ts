import { describe, expect, it } from 'vitest';
import { hostsFile, parseExtraHost, resolvConf, type NameFilesInput } from './nameFiles';

const base: NameFilesInput = {
  hostname: 'abc123',
  domainname: '',
  kind: 'bridge',
  ip: '10.66.0.2',
  extraHosts: [],
  hostGateway: '10.66.0.1',
  dns: [],
  dnsSearch: [],
  dnsOptions: [],
};
const localhost = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

// The expected files are what dockerd 20.10 wrote here for the same flags.
describe('/etc/hosts as Docker writes it', () => {
  it('its own address and name, --add-host lines before it, none without one', () => {
    expect(hostsFile(base)).toBe(`${localhost}10.66.0.2\tabc123\n`);
    expect(hostsFile({ ...base, hostname: 'hh', extraHosts: ['foo:1.2.3.4', 'gw:host-gateway'] })).toBe(`${localhost}1.2.3.4\tfoo\n10.66.0.1\tgw\n10.66.0.2\thh\n`);
    expect(hostsFile({ ...base, hostname: 'myhost', domainname: 'example.org' })).toBe(`${localhost}10.66.0.2\tmyhost.example.org myhost\n`);
    expect(hostsFile({ ...base, kind: 'none', ip: undefined })).toBe(localhost);
  });

  it('refuses a bad --add-host', () => {
    expect(() => parseExtraHost('foo')).toThrow('bad format for add-host: "foo"');
    expect(() => parseExtraHost('foo:bar')).toThrow(/bad format/);
    expect(parseExtraHost('v6:[::1]')).toEqual({ name: 'v6', ip: '::1' });
  });
});

describe('/etc/resolv.conf as Docker writes it', () => {
  const host = '# from the host\nsearch lan\nnameserver 127.0.0.53\nnameserver 10.255.255.53\noptions edns0\n';
  it('the default bridge: the host file without the servers only the host reaches', () => {
    expect(resolvConf(base, host)).toBe('# from the host\nsearch lan\n\nnameserver 10.255.255.53\noptions edns0\n');
    expect(resolvConf(base, 'nameserver 127.0.0.53\n')).toBe('\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4');
  });
  it('--dns, --dns-search and --dns-option rewrite it', () => {
    expect(resolvConf({ ...base, dns: ['9.9.9.9'], dnsSearch: ['example.com'] }, host)).toBe('search example.com\nnameserver 9.9.9.9\noptions edns0\n');
    expect(resolvConf({ ...base, dnsOptions: ['ndots:2'] }, host)).toBe('search lan\nnameserver 10.255.255.53\noptions ndots:2\n');
  });
  it("a user network: the gateway's aardvark-dns, with ndots:0", () => {
    const user = { ...base, kind: 'user' as const, gateway: '10.67.0.1' };
    expect(resolvConf(user, 'nameserver 10.255.255.53\n')).toBe('nameserver 10.67.0.1\noptions ndots:0\n');
    expect(resolvConf({ ...user, dnsSearch: ['example.com'], dns: ['9.9.9.9'] }, host)).toBe('search example.com\nnameserver 10.67.0.1\noptions edns0 ndots:0\n');
  });
});
