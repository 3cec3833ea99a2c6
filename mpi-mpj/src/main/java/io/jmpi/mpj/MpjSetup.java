package io.jmpi.mpj;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/** The part of {@link MpjBackend} that touches MPJ Express, kept apart so that loading the backend never needs it. */
final class MpjSetup {
    /** System property: largest frame in bytes (header included); default {@link MpjTransport#DEFAULT_MAX_FRAME}. */
    static final String MAX_FRAME_PROPERTY = "jmpi.mpj.maxFrame";

    private MpjSetup() {
    }

    static MpjBootstrap start(MpjBackend backend) {
        try {
            if (!MPI.Initialized()) {
                throw new MpiException(ErrorClass.STATE, "init: backend=mpj, but MPJ Express is not initialised in this JVM: "
                        + "start the program with 'jmpirun --backend mpj ...' (its ranks start in io.jmpi.mpj.MpjMain, "
                        + "which calls MPI.Init), or call mpi.MPI.Init(args) before Mpi.init");
            }
            // a communicator of our own: frames never meet messages of a program that also calls MPJ Express
            Intracomm comm = (Intracomm) MPI.COMM_WORLD.clone();
            MpjTransport t = new MpjTransport(comm, comm.Rank(), comm.Size(), maxFrame());
            backend.transport(t);
            return new MpjBootstrap(comm, t);
        } catch (MPIException e) {
            throw new MpiException(ErrorClass.IO, "init: MPJ Express failed: " + e.getMessage(), e);
        }
    }

    private static int maxFrame() {
        String v = System.getProperty(MAX_FRAME_PROPERTY);
        if (v == null || v.isBlank()) return MpjTransport.DEFAULT_MAX_FRAME;
        int min = 4096, max = 64 << 20;
        try {
            int n = Integer.decode(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new MpiException(ErrorClass.ARG, "init: " + MAX_FRAME_PROPERTY + "=" + v + " out of range [" + min + ", " + max + "]");
    }
}
