package io.jmpi.bench.jmh;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A two-rank job's bootstrap for benchmarks that start their partner JVM themselves: rank 0 accepts one loopback
 * connection from rank 1 and they swap endpoints as text lines. Job id and secret come from rank 0 through the
 * partner's environment.
 */
final class PairBootstrap implements Bootstrap {
    private final int rank;
    private final long jobId;
    private final byte[] secret;
    private final Socket socket;

    PairBootstrap(int rank, long jobId, byte[] secret, Socket socket) {
        this.rank = rank;
        this.jobId = jobId;
        this.secret = secret;
        this.socket = socket;
    }

    @Override public int rank() { return rank; }
    @Override public int size() { return 2; }
    @Override public long jobId() { return jobId; }
    @Override public byte[] secret() { return secret; }
    @Override public InetAddress advertiseAddress() { return InetAddress.getLoopbackAddress(); }

    @Override
    public Endpoint[] exchange(Endpoint mine) {
        try {
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.println(mine.encode());
            Endpoint other = Endpoint.decode(in.readLine());
            Endpoint[] table = new Endpoint[2];
            table[rank] = mine;
            table[1 - rank] = other;
            return table;
        } catch (IOException | RuntimeException e) {
            throw new MpiException(ErrorClass.IO, "pair bootstrap: " + e, e);
        }
    }

    @Override public void reportFailure(String reason) { }

    @Override
    public void abort(int code, String reason) {
        Runtime.getRuntime().halt(code);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
