package io.jmpi.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running jmpirun's control socket: a UNIX-domain socket {@code <tmp>/jmpirun-<user>/<pid>.sock} in a folder only
 * the user can enter, on which {@code jmpirun --diagnose <pid>} asks for a hang diagnosis at any moment and gets
 * the report back (kill -QUIT cannot do it: HotSpot keeps SIGQUIT for its thread dump). One request per connection:
 * the line {@code diagnose}; the answer is the report's lines, then the end of the stream.
 */
final class ControlSocket implements AutoCloseable {
    static final String DIAGNOSE = "diagnose";
    /** How long the asker waits for the report (the ranks have {@code JobRunner}'s 3 s to answer). */
    static final long ANSWER_SECONDS = 20;

    private final ServerSocketChannel channel;
    private final Path path;
    private final Thread acceptor;

    private ControlSocket(ServerSocketChannel channel, Path path, Consumer<CompletableFuture<List<String>>> onDiagnose) {
        this.channel = channel;
        this.path = path;
        this.acceptor = new Thread(() -> serve(onDiagnose), "jmpirun-control");
        acceptor.setDaemon(true);
    }

    /** The folder of the control sockets of this user's launchers. */
    static Path folder() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jmpirun-" + System.getProperty("user.name"));
    }

    static Path pathOf(long pid) {
        return folder().resolve(pid + ".sock");
    }

    /**
     * Opens this process's control socket; {@code onDiagnose} gets a future to complete with the report. Returns null
     * (the job runs without one) when the socket cannot be made, e.g. a folder another user owns.
     */
    static ControlSocket open(Consumer<CompletableFuture<List<String>>> onDiagnose) {
        Path path = pathOf(ProcessHandle.current().pid());
        try {
            Path dir = folder();
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
                    return null; // someone else's folder: do not listen where they could impersonate us
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                // Windows: java.io.tmpdir is the user's own %TEMP% (not run on Windows: see README)
                Files.createDirectories(dir);
            }
            if (Files.exists(path)) {
                if (live(path)) return null; // another job of this JVM (jmpirun run in-process twice) has it
                Files.deleteIfExists(path); // a launcher that had this pid before us and was killed
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            ControlSocket s = new ControlSocket(ch, path, onDiagnose);
            s.acceptor.start();
            return s;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean live(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void serve(Consumer<CompletableFuture<List<String>>> onDiagnose) {
        while (channel.isOpen()) {
            try (SocketChannel c = channel.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                Writer out = Channels.newWriter(c, StandardCharsets.UTF_8);
                String request = in.readLine();
                if (request == null) continue; // a probe (live()): connected, asked nothing
                if (DIAGNOSE.equals(request)) {
                    CompletableFuture<List<String>> report = new CompletableFuture<>();
                    onDiagnose.accept(report);
                    List<String> lines;
                    try {
                        lines = report.get(ANSWER_SECONDS, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        lines = List.of("no hang diagnosis: the launcher did not answer within " + ANSWER_SECONDS + " s");
                    }
                    for (String l : lines) out.write(l + "\n");
                } else {
                    out.write("unknown request '" + request + "' (the only one is '" + DIAGNOSE + "')\n");
                }
                out.flush();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) return; // closed: the job is over
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the folder is the user's own; a stale socket is replaced by the next launcher with this pid
        }
    }

    /**
     * {@code jmpirun --diagnose PID}: asks the launcher with that pid for a hang diagnosis and prints it to
     * {@code out}, each line as the launcher prints its own ({@code jmpirun: ...}).
     *
     * @return {@link ExitCodes#OK}, or {@link ExitCodes#USAGE} when there is no such launcher of this user
     */
    static int ask(long pid, PrintStream out, PrintStream err) {
        Path path = pathOf(pid);
        if (!Files.exists(path)) {
            err.println("jmpirun: --diagnose " + pid + ": no running jmpirun of " + System.getProperty("user.name")
                    + " has pid " + pid + " (no control socket " + path + ")");
            return ExitCodes.USAGE;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            Writer w = Channels.newWriter(c, StandardCharsets.UTF_8);
            w.write(DIAGNOSE + "\n");
            w.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            for (String l = in.readLine(); l != null; l = in.readLine()) out.println("jmpirun: " + l);
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("jmpirun: --diagnose " + pid + ": cannot reach that jmpirun (" + e.getMessage() + "; " + path
                    + "): it has ended, or ran as another user");
            return ExitCodes.USAGE;
        }
    }
}
