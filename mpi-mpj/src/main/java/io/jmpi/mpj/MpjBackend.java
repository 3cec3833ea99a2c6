package io.jmpi.mpj;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.transport.BackendProvider;
import io.jmpi.transport.Transport;

/**
 * The MPJ Express backend ({@code jmpi.backend=mpj}), found by {@code Mpi.init} through {@link java.util.ServiceLoader}.
 * It needs MPJ Express initialised in this JVM ({@link MpjMain} does that for {@code jmpirun --backend mpj}).
 * MPJ Express's classes are touched only after checking they are there, so a missing jar gives an error message,
 * not a {@code NoClassDefFoundError}.
 */
public final class MpjBackend implements BackendProvider {
    private MpjTransport transport;

    @Override
    public String name() {
        return "mpj";
    }

    @Override
    public Bootstrap bootstrap(Config config) {
        try {
            Class.forName("mpi.MPI", false, MpjBackend.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new MpiException(ErrorClass.STATE, "init: backend=mpj needs MPJ Express (mpi.MPI) on the class path: "
                    + "start the program with 'jmpirun --backend mpj' (see docs/MPJ.md)");
        }
        return MpjSetup.start(this);
    }

    void transport(MpjTransport t) {
        this.transport = t;
    }

    @Override
    public Transport transport() {
        if (transport == null) throw new MpiException(ErrorClass.STATE, "init: backend=mpj: bootstrap() first");
        return transport;
    }
}
