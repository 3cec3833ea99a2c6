package io.jmpi.bootstrap;

import io.jmpi.wire.HandshakeDescriptor;

import java.net.InetAddress;

/**
 * The bootstrap of a JVM started without jmpirun: a job of one rank (like {@code MPI_Init} without {@code mpirun}).
 * It still has a random job id and secret, so the transports behave exactly as in a bigger job, and it advertises
 * the loopback address because there is no peer anywhere else.
 */
public final class SingletonBootstrap implements Bootstrap {
    private final long jobId = HandshakeDescriptor.newJobId();
    private final byte[] secret = HandshakeDescriptor.newSecret();
    private final BootstrapLifecycle life = new BootstrapLifecycle();

    /** A job of one rank with a fresh job id and secret. */
    public SingletonBootstrap() {
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public long jobId() {
        return jobId;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public InetAddress advertiseAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public Endpoint[] exchange(Endpoint mine) {
        life.admitExchange(mine, 0);
        return new Endpoint[] {mine};
    }

    /** No launcher to tell: the dying JVM's own output says why. */
    @Override
    public void reportFailure(String reason) {
    }

    @Override
    public void abort(int code, String reason) {
        BootstrapLifecycle.announceAbort(0, code, reason);
        BootstrapLifecycle.halt(code);
    }

    @Override
    public void close() {
        life.close();
    }
}
