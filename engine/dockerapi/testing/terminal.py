# A user at a terminal, for tests of `docker run -it` and `docker exec -it`:
# runs the command on a pseudo-terminal of 24x80 and plays the steps read as
# JSON from standard input — {"expect": text} (wait until the output holds
# it), {"send": text}, {"resize": [rows, cols]} — then waits for the command
# to end and prints {"output": everything it wrote, "code": its exit code}.
import fcntl, json, os, pty, select, struct, sys, termios, time

steps = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])

output = b''
def read_until(needle, timeout):
    global output
    end = time.time() + timeout
    while (needle is None or needle not in output) and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        output += chunk

for step in steps:
    if 'expect' in step:
        read_until(step['expect'].encode(), 20)
    elif 'send' in step:
        os.write(fd, step['send'].encode())
    elif 'sleep' in step:
        time.sleep(step['sleep'])
    elif 'resize' in step:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', step['resize'][0], step['resize'][1], 0, 0))
read_until(None, 5)
_, status = os.waitpid(pid, 0)
print(json.dumps({'output': output.decode(errors='replace'), 'code': os.waitstatus_to_exitcode(status)}))
