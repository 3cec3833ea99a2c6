package io.jmpi.mpj;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.launch.MpjProtocol;
import io.jmpi.wire.HandshakeDescriptor;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A rank's identity under MPJ Express: rank and size of {@code MPI.COMM_WORLD}, a job id chosen by rank 0 and
 * broadcast, and the endpoint exchange as an {@code Allgather} of fixed-size records over MPJ Express (the engine
 * needs every rank's host identity, e.g. for {@code Comm.splitShared}). There is no launcher connection: failures
 * and aborts are reported as {@link MpjProtocol} status lines on stderr, which {@code jmpirun --backend mpj} reads.
 *
 * <p>The secret is random and unused: frames travel inside MPJ Express's connections, which jmpi does not
 * authenticate (MPJ Express's own security model applies; see docs/MPJ.md).
 */
final class MpjBootstrap implements Bootstrap {
    /** Bytes of one rank's record in the endpoint exchange. */
    static final int ENDPOINT_BYTES = 512;

    private final Intracomm comm;
    private final MpjTransport transport;
    private final int rank;
    private final int size;
    private final long jobId;
    private final byte[] secret = HandshakeDescriptor.newSecret();
    private boolean closed;

    MpjBootstrap(Intracomm comm, MpjTransport transport) {
        this.comm = comm;
        this.transport = transport;
        try {
            this.rank = comm.Rank();
            this.size = comm.Size();
            long[] id = {rank == 0 ? HandshakeDescriptor.newJobId() : 0};
            comm.Bcast(id, 0, 1, MPI.LONG, 0);
            this.jobId = id[0];
        } catch (MPIException e) {
            throw new MpiException(ErrorClass.IO, "init: MPJ Express failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
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
        byte[] rec = mine.encode().getBytes(StandardCharsets.UTF_8);
        if (rec.length > ENDPOINT_BYTES) {
            throw new MpiException(ErrorClass.STATE, "init: endpoint of " + rec.length + " bytes exceeds "
                    + ENDPOINT_BYTES + ": " + mine);
        }
        byte[] out = Arrays.copyOf(rec, ENDPOINT_BYTES);
        byte[] all = new byte[ENDPOINT_BYTES * size];
        try {
            comm.Allgather(out, 0, ENDPOINT_BYTES, MPI.BYTE, all, 0, ENDPOINT_BYTES, MPI.BYTE);
        } catch (MPIException e) {
            throw new MpiException(ErrorClass.IO, "init: endpoint exchange over MPJ Express failed: " + e.getMessage(), e);
        }
        Endpoint[] table = new Endpoint[size];
        for (int r = 0; r < size; r++) {
            int len = 0;
            while (len < ENDPOINT_BYTES && all[r * ENDPOINT_BYTES + len] != 0) len++;
            Endpoint e = Endpoint.decode(new String(all, r * ENDPOINT_BYTES, len, StandardCharsets.UTF_8));
            if (e.rank() != r) {
                throw new MpiException(ErrorClass.PROTOCOL, "init: endpoint exchange: record " + r + " names rank " + e.rank());
            }
            table[r] = e;
        }
        MpjRuntime.jmpiOpened(rank);
        return table;
    }

    /** One status line for the launcher; never throws. */
    @Override
    public void reportFailure(String reason) {
        try {
            System.err.println(MpjProtocol.failed(rank, reason));
            System.err.flush();
        } catch (RuntimeException e) {
            // nothing more to do
        }
    }

    /**
     * {@code MPI_Abort}: a status line naming the code, then this JVM halts with it. MPJ Express's own
     * {@code Abort} is not used: in niodev it ends only the calling rank too, and the launcher stops the rest.
     */
    @Override
    public void abort(int code, String reason) {
        System.out.flush();
        System.err.println(MpjProtocol.aborted(rank, code, reason));
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /**
     * After the engine's close (goodbyes exchanged over the transport). {@code MPI.Finalize} is called here only
     * when every peer said goodbye, so every peer is closing too; otherwise it is left out, because in niodev it
     * would wait forever for a rank that is failing. Started without {@link MpjMain} (a program that called
     * {@code MPI.Init} itself), the program finalizes MPJ Express itself.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        boolean clean = transport.cleanGoodbye();
        MpjRuntime.jmpiClosed(clean);
        if (clean && MpjRuntime.managedByMain()) MpjRuntime.finalizeMpj();
    }
}
