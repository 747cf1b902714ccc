# Debian's python3-docker (docker-py) driving one engine: containers (their
# limits and stats too), images, exec, networks and volumes. Prints one JSON
# summary of what it saw; the test runs this against Strata and against a
# private dockerd and expects the same summary. Usage: docker_py_check.py IMAGE [networks]
import io, json, sys, tarfile
import docker
from docker.errors import APIError, ImageNotFound, NotFound

image = sys.argv[1]
parts = sys.argv[2:]
client = docker.from_env()
api = client.api
seen = {}
# No network where networks are not the subject (both engines alike).
NONE = {'network_mode': 'none'}

seen['ping'] = client.ping()
seen['api'] = client.version()['ApiVersion']

# containers
seen['run'] = client.containers.run(image, ['sh', '-c', 'echo hello from py'], remove=True, **NONE).decode()
c = client.containers.run(image, ['sleep', '100'], detach=True, name='py-sleeper', labels={'role': 'sleeper'}, **NONE)
c.reload()
seen['status'] = c.status
seen['by_label'] = [x.name for x in client.containers.list(filters={'label': 'role=sleeper'})]
seen['by_name'] = [x.name for x in client.containers.list(all=True, filters={'name': 'py-sleeper'})]
r = c.exec_run(['sh', '-c', 'echo out; echo err >&2; exit 2'])
seen['exec'] = [r.exit_code, sorted(r.output.decode().split())]
r = c.exec_run(['sh', '-c', 'echo out; echo err >&2'], demux=True)
seen['exec_demux'] = [r.exit_code, r.output[0].decode(), r.output[1].decode()]
r = c.exec_run(['sh', '-c', 'tty'], tty=True)
seen['exec_tty'] = [r.exit_code, r.output.decode()]
c.pause(); c.reload(); seen['paused'] = c.status
c.unpause(); c.reload(); seen['unpaused'] = c.status
c.update(mem_limit='64m', memswap_limit='128m', cpu_shares=512)
c.reload(); seen['updated'] = [c.attrs['HostConfig'][k] for k in ('Memory', 'MemorySwap', 'CpuShares')]
s = c.stats(stream=False)
seen['stats'] = [s['name'], s['id'] == c.id, s['memory_stats']['limit'], s['pids_stats'], 'total_usage' in s['cpu_stats']['cpu_usage'], s['precpu_stats'].keys() >= {'cpu_usage', 'system_cpu_usage'}]
try:
    client.containers.run(image, ['true'], name='py-sleeper', **NONE)
except APIError as e:
    seen['conflict'] = e.status_code
c.stop(timeout=1); c.reload()
seen['stopped'] = [c.status, c.attrs['State']['ExitCode']]
seen['wait'] = c.wait()
c.rename('py-renamed'); c.reload(); seen['renamed'] = c.name
committed = c.commit('py-committed', 'v1', changes=['CMD ["echo", "committed"]'])
seen['commit_tags'] = committed.tags
seen['commit_run'] = client.containers.run('py-committed:v1', remove=True, **NONE).decode()
c.remove()
try:
    client.containers.get('py-renamed')
except NotFound as e:
    seen['removed'] = e.status_code
logger = client.containers.run(image, ['sh', '-c', 'echo one; echo two'], detach=True, **NONE)
seen['wait_logger'] = logger.wait()['StatusCode']
seen['logs'] = logger.logs().decode()
seen['logs_tail'] = logger.logs(tail=1).decode()
logger.remove()
seen['prune'] = api.prune_containers()['ContainersDeleted']

# images
seen['get'] = client.images.get(image).tags
try:
    client.images.get('py-no-such:zz')
except ImageNotFound as e:
    seen['not_found'] = e.status_code
committed.tag('py-tagged', 'v2')
seen['tagged'] = sorted(client.images.get('py-tagged:v2').tags)
seen['history'] = [h['CreatedBy'] for h in client.images.get('py-committed:v1').history()][:1]
context = io.BytesIO()
with tarfile.open(fileobj=context, mode='w') as tar:
    dockerfile = b'FROM %s\nRUN echo built by py > /built\nCMD ["cat", "/built"]\n' % image.encode()
    info = tarfile.TarInfo('Dockerfile'); info.size = len(dockerfile)
    tar.addfile(info, io.BytesIO(dockerfile))
context.seek(0)
built, logs = client.images.build(fileobj=context, custom_context=True, tag='py-built:1', rm=True)
seen['built'] = built.tags
seen['build_steps'] = [l['stream'] for l in logs if 'stream' in l and l['stream'].startswith('Step')]
seen['built_run'] = client.containers.run('py-built:1', remove=True, **NONE).decode()
archive = b''.join(built.save(named=True))
client.images.remove('py-built:1')
seen['loaded'] = [i.tags for i in client.images.load(archive)]
for ref in ['py-built:1', 'py-tagged:v2', 'py-committed:v1']:
    client.images.remove(ref)
seen['images_left'] = sorted(t for i in client.images.list() for t in i.tags)

if 'networks' in parts:
    net = client.networks.create('py-net', driver='bridge', labels={'made': 'py'})
    seen['network'] = [net.name, net.attrs['Driver'], net.attrs['Labels']]
    seen['networks'] = sorted(n.name for n in client.networks.list(names=['py-net']))
    member = client.containers.run(image, ['sleep', '100'], detach=True, name='py-member', network='py-net')
    net.reload()
    seen['network_members'] = [x.name for x in net.containers]
    net.disconnect(member)
    net.reload()
    seen['network_members_after'] = [x.name for x in net.containers]
    member.remove(force=True)
    net.remove()
    vol = client.volumes.create('py-vol', labels={'made': 'py'})
    seen['volume'] = [vol.name, vol.attrs['Driver'], vol.attrs['Labels']]
    user = client.containers.run(image, ['sh', '-c', 'echo kept > /data/f'], volumes={'py-vol': {'bind': '/data', 'mode': 'rw'}}, remove=True, **NONE)
    seen['volume_read'] = client.containers.run(image, ['cat', '/data/f'], volumes={'py-vol': {'bind': '/data', 'mode': 'ro'}}, remove=True, **NONE).decode()
    vol.remove()
    seen['volumes_left'] = [v.name for v in client.volumes.list(filters={'name': 'py-vol'})]

print(json.dumps(seen, sort_keys=True))
