package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
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
        if (mine.rank() != 0) {
            throw new MpiException(ErrorClass.ARG, "exchange: endpoint rank=" + mine.rank() + " out of range [0, 1)");
        }
        return new Endpoint[] {mine};
    }

    /** No launcher to tell: the dying JVM's own output says why. */
    @Override
    public void reportFailure(String reason) {
    }

    @Override
    public void abort(int code, String reason) {
        System.err.println("jmpi: rank 0 called abort(" + code + "): " + ControlProtocol.oneLine(reason));
        System.err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    @Override
    public void close() {
    }
}
