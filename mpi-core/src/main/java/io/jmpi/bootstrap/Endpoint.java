package io.jmpi.bootstrap;

/**
 * Where a rank can be reached: its TCP listening address and port, and the identity of its host (two ranks with
 * the same {@code hostId} share memory and may use the shared-memory transport).
 *
 * @param rank   world rank
 * @param host   address peers connect to (numeric IP preferred)
 * @param port   TCP listening port, or 0 when the rank listens on none
 * @param hostId identity of the host (boot id + device and inode of /dev/shm, see HostIdentity): equal only for
 *               processes that can share memory, also across network namespaces of one machine
 * @param pid    operating-system process id, for diagnostics
 */
public record Endpoint(int rank, String host, int port, String hostId, long pid) {
    /** Text form used on the wire of the rendezvous: {@code rank host port hostId pid}, space separated. */
    public String encode() {
        return rank + " " + host + " " + port + " " + hostId + " " + pid;
    }

    public static Endpoint decode(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 5) throw new IllegalArgumentException("bad endpoint: " + line);
        return new Endpoint(Integer.parseInt(f[0]), f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]));
    }
}
