package io.jmpi.transport.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test keystores made with the JDK's own keytool: an EC P-256 key and a self-signed certificate in PKCS12. */
public final class TlsKeystores {
    public static final String PASSWORD = "jmpi-test-pw";

    private TlsKeystores() {
    }

    /** Creates {@code dir/name.p12} with a fresh key pair and certificate (CN=name), password {@link #PASSWORD}. */
    public static Path generate(Path dir, String name) {
        Path ks = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return ks;
    }

    /** Settings of a job over TCP with TLS and the keystore {@code ks}. */
    public static Map<String, String> env(Path ks) {
        return Map.of("JMPI_TLS", "true", "JMPI_TLS_KEYSTORE", ks.toString(), "JMPI_TLS_PASSWORD", PASSWORD);
    }
}
