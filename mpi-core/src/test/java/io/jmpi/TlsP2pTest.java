package io.jmpi;

import io.jmpi.transport.tcp.TlsKeystores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** The point-to-point conformance suite over TCP loopback sockets with TLS (setting tls, one keystore for the job). */
class TlsP2pTest extends P2pConformance {
    @TempDir
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void keystore() {
        env = TlsKeystores.env(TlsKeystores.generate(dir, "job"));
    }

    @Override
    String transport() {
        return "tcp";
    }

    @Override
    void run(int n, Mpi.RankMain body) {
        Jobs.run("tcp", n, env, body);
    }
}
