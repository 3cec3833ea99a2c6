package io.jmpi.reliability;

import io.jmpi.reliability.apps.RingApp;
import io.jmpi.testing.RankJvms;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input against the listening ports of a live job: while 4 rank JVMs run a verified ring ({@link RingApp}),
 * strangers connect to every rank's TCP port (found in /proc/net/tcp from the ranks' pids) and send random bytes,
 * truncated and mutated HELLOs, wrong job ids, versions, kinds and addressees, out-of-range ranks, HELLOs with the
 * right job id (read from the ranks' {@code -Djmpi.job=} option, as any local user could) followed by a wrong or
 * truncated proof, floods, and silent connections (slow-loris). Every connection must be closed by the rank, quickly
 * (or, for a silent one, after the handshake timeout), answering only what the protocol says; the job must end with
 * the right result and exit 0, no rank may crash, and nothing may be left behind.
 */
@Timeout(120)
class HandshakeFuzzIT {
    private static final int CASES = Integer.getInteger("fuzz.handshakes", 2400);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path dir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    enum Kind { RANDOM, TRUNCATED, MUTATED, WRONG_JOB, WRONG_VERSION, WRONG_KIND, WRONG_TO, BAD_FROM, LAUNCHER_KIND,
        BAD_PROOF, SHORT_PROOF, NO_PROOF, FLOOD, EMPTY }

    /** What one case saw. */
    enum Outcome { CLOSED, CHALLENGE_OK_THEN_CLOSED, CHALLENGE_REFUSED_THEN_CLOSED, BUSY, NOT_CLOSED, UNEXPECTED_REPLY }

    private record Target(int rank, int port) {
    }

    @Test
    void strangersOnEveryRankPortNeitherDisturbNorCrashTheJob() throws Exception {
        int np = 4;
        Path stop = dir.resolve("stop");
        List<String> args = List.of("-np", String.valueOf(np), "--transport", "tcp", "--timeout", "100",
                "--jvm-args=" + ranks.jvmOptions("-Xmx128m"), "-cp", System.getProperty("java.class.path"),
                RingApp.class.getName(), "--stop-file", stop.toString(), "--big", "200000");
        LauncherRun run = LauncherRun.start(args);
        for (int r = 0; r < np; r++) {
            assertNotNull(run.out.await(Pattern.compile("(?m)^ready " + r + " "), Duration.ofSeconds(30)), run.describe());
        }
        Map<Integer, Long> pids = ranks.pidsByRank();
        assertEquals(np, pids.size(), pids.toString());
        List<Target> targets = new ArrayList<>();
        long jobId = -1;
        for (Map.Entry<Integer, Long> e : pids.entrySet()) {
            List<Integer> ports = RankJvms.listeningPorts(e.getValue());
            assertEquals(1, ports.size(), "listening ports of rank " + e.getKey() + ": " + ports);
            targets.add(new Target(e.getKey(), ports.get(0)));
            String cmd = String.join(" ", ProcessHandle.of(e.getValue()).orElseThrow().info().arguments().orElseThrow());
            Matcher m = Pattern.compile("-Djmpi\\.job=([0-9a-f]+)").matcher(cmd);
            assertTrue(m.find(), cmd);
            jobId = Long.parseUnsignedLong(m.group(1), 16);
        }
        long job = jobId;

        Random seeds = new Random(SEED);
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        // slow-loris: silent connections that hold the handshake slots of rank 1 until its timeout
        List<Long> lorisMillis = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService lorisPool = Executors.newFixedThreadPool(10);
        CountDownLatch lorisConnected = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            Target t = targets.get(1);
            futures.add(lorisPool.submit(() -> lorisMillis.add(silent(t.port, lorisConnected))));
        }
        // they take rank 1's handshake slots first: each is connected (the rank accepts in order of arrival)
        assertTrue(lorisConnected.await(20, TimeUnit.SECONDS), "the silent connections to rank 1 did not connect");
        for (int i = 0; i < CASES; i++) {
            Target t = targets.get(i % targets.size());
            long seed = seeds.nextLong();
            futures.add(pool.submit(() -> {
                Random rnd = new Random(seed);
                Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
                Outcome o;
                try {
                    o = attack(t, np, job, kind, rnd);
                } catch (IOException e) {
                    failures.add(kind + " to rank " + t.rank + " (seed " + seed + "): " + e);
                    return;
                }
                outcomes.computeIfAbsent(kind + "->" + o, k -> new LongAdder()).increment();
                if (o == Outcome.NOT_CLOSED || o == Outcome.UNEXPECTED_REPLY || !allowed(kind, o)) {
                    failures.add(kind + " to rank " + t.rank + " (seed " + seed + "): " + o);
                }
                done.incrementAndGet();
            }));
        }
        for (Future<?> f : futures) f.get(100, TimeUnit.SECONDS);
        pool.shutdown();
        lorisPool.shutdown();
        long fuzzMs = (System.nanoTime() - t0) / 1_000_000;
        Files.createFile(stop);
        int code = run.await(Duration.ofSeconds(30));
        String refused = "refused connection";
        long logged = run.err.text().lines().filter(l -> l.contains(refused)).count();
        System.out.println("HandshakeFuzzIT (seed " + SEED + "): cases=" + done.get() + " in " + fuzzMs + " ms, silent="
                + lorisMillis.size() + " closed after " + lorisMillis + " ms, refusals logged by ranks=" + logged
                + ", job: " + run.out.text().lines().filter(l -> l.startsWith("ring")).findFirst().orElse("?"));
        new java.util.TreeMap<>(outcomes).forEach((k, v) -> System.out.println("  " + k + " " + v));
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
        assertEquals(0, code, run.describe());
        assertTrue(run.out.text().contains("ring ok laps="), run.describe());
        assertEquals(CASES, done.get());
        assertEquals(10, lorisMillis.size());
        for (long ms : lorisMillis) assertTrue(ms < 13_000, "a silent stranger held a connection " + ms + " ms");
        assertTrue(lorisMillis.stream().filter(ms -> ms < 2000).count() >= 2, "beyond 8 handshakes at once, a rank "
                + "should refuse at once: " + lorisMillis);
        assertTrue(logged > CASES / 2, "ranks logged only " + logged + " refusals");
        assertTrue(ranks.awaitNone(Duration.ofSeconds(5)), ranks.describeAlive());
    }

    /** Which outcomes the protocol allows for a kind of attack (BUSY: all handshake slots taken, closed at once). */
    private static boolean allowed(Kind k, Outcome o) {
        if (o == Outcome.BUSY) return true;
        switch (k) {
            case WRONG_JOB: case WRONG_VERSION: case WRONG_KIND: case WRONG_TO: case BAD_FROM:
                return o == Outcome.CHALLENGE_REFUSED_THEN_CLOSED;
            case LAUNCHER_KIND: case BAD_PROOF: case SHORT_PROOF: case NO_PROOF:
                return o == Outcome.CHALLENGE_OK_THEN_CLOSED;
            case MUTATED:
                return o != Outcome.NOT_CLOSED && o != Outcome.UNEXPECTED_REPLY;
            default: // garbage never gets an answer
                return o == Outcome.CLOSED;
        }
    }

    static byte[] hello(int magic, short version, short kind, int from, int to, long job, Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(HandshakeDescriptor.HELLO_LENGTH);
        byte[] nonce = new byte[16];
        rnd.nextBytes(nonce);
        b.putInt(magic).putShort(version).putShort(kind).putInt(from).putInt(to).putLong(job).put(nonce);
        return b.array();
    }

    private static Outcome attack(Target t, int np, long job, Kind kind, Random rnd) throws IOException {
        int from = rnd.nextInt(np);
        byte[] good = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION, HandshakeDescriptor.KIND_RANK, from,
                t.rank, job, rnd);
        byte[] send;
        byte[] proof = null;
        boolean expectChallenge;
        switch (kind) {
            case RANDOM: {
                send = new byte[rnd.nextInt(200)];
                rnd.nextBytes(send);
                if (send.length >= 4 && ByteBuffer.wrap(send).getInt() == HandshakeDescriptor.MAGIC) send[0] ^= 1;
                expectChallenge = false;
                break;
            }
            case EMPTY: send = new byte[0]; expectChallenge = false; break;
            case TRUNCATED: {
                send = Arrays.copyOf(good, rnd.nextInt(HandshakeDescriptor.HELLO_LENGTH));
                if (send.length >= 4) send[rnd.nextInt(4)] ^= (byte) (1 + rnd.nextInt(255)); // never a whole magic
                expectChallenge = false;
                break;
            }
            case MUTATED: {
                send = good.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) send[4 + rnd.nextInt(send.length - 4)] ^= (byte) (1 << rnd.nextInt(8));
                expectChallenge = true;
                proof = new byte[32];
                rnd.nextBytes(proof);
                break;
            }
            case WRONG_JOB:
                send = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION, HandshakeDescriptor.KIND_RANK, from,
                        t.rank, job ^ (1L << rnd.nextInt(63)), rnd);
                expectChallenge = true;
                break;
            case WRONG_VERSION:
                send = hello(HandshakeDescriptor.MAGIC, (short) (HandshakeDescriptor.VERSION + 1 + rnd.nextInt(100)),
                        HandshakeDescriptor.KIND_RANK, from, t.rank, job, rnd);
                expectChallenge = true;
                break;
            case WRONG_KIND:
                // kinds no endpoint knows (rank, launcher and agent are 0-2)
                send = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION,
                        (short) (HandshakeDescriptor.KIND_AGENT + 1 + rnd.nextInt(1000)), from,
                        t.rank, job, rnd);
                expectChallenge = true;
                break;
            case WRONG_TO:
                send = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION, HandshakeDescriptor.KIND_RANK, from,
                        rnd.nextBoolean() ? (t.rank + 1 + rnd.nextInt(np - 1)) % np : rnd.nextInt(), job, rnd);
                expectChallenge = true;
                break;
            case BAD_FROM:
                send = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION, HandshakeDescriptor.KIND_RANK,
                        rnd.nextBoolean() ? -1 - rnd.nextInt(Integer.MAX_VALUE) : np + rnd.nextInt(Integer.MAX_VALUE - np),
                        t.rank, job, rnd);
                expectChallenge = true;
                break;
            case LAUNCHER_KIND:
                // a known kind that a rank does not take (the launcher's, or a launch agent's): challenged, then closed
                send = hello(HandshakeDescriptor.MAGIC, HandshakeDescriptor.VERSION,
                        rnd.nextBoolean() ? HandshakeDescriptor.KIND_LAUNCHER : HandshakeDescriptor.KIND_AGENT, from,
                        t.rank, job, rnd);
                expectChallenge = true;
                proof = new byte[32];
                rnd.nextBytes(proof);
                break;
            case BAD_PROOF:
                send = good;
                expectChallenge = true;
                proof = new byte[32];
                rnd.nextBytes(proof);
                break;
            case SHORT_PROOF:
                send = good;
                expectChallenge = true;
                proof = new byte[rnd.nextInt(32)];
                rnd.nextBytes(proof);
                break;
            case NO_PROOF:
                send = good;
                expectChallenge = true;
                proof = new byte[0];
                break;
            case FLOOD: {
                send = new byte[256 * 1024 + rnd.nextInt(768 * 1024)];
                rnd.nextBytes(send);
                send[0] = 0; // not our magic
                expectChallenge = false;
                break;
            }
            default: throw new IllegalStateException();
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", t.port), 5000);
            s.setSoTimeout(4000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            try {
                out.write(send);
                out.flush();
            } catch (IOException e) { // the rank closed while we were still writing (a flood, or no slot free)
                return expectChallenge ? Outcome.BUSY : Outcome.CLOSED;
            }
            byte[] reply = new byte[HandshakeDescriptor.CHALLENGE_LENGTH];
            int got;
            try {
                if (!expectChallenge) s.shutdownOutput();
                got = in.readNBytes(reply, 0, expectChallenge ? reply.length : 1);
            } catch (SocketTimeoutException e) {
                return Outcome.NOT_CLOSED;
            } catch (IOException e) { // reset before any answer: a well-formed hello found no free slot
                return expectChallenge ? Outcome.BUSY : Outcome.CLOSED;
            }
            if (!expectChallenge) return got == 0 ? Outcome.CLOSED : Outcome.UNEXPECTED_REPLY;
            if (got == 0) return Outcome.BUSY;
            if (got < reply.length) return kind == Kind.MUTATED ? Outcome.CLOSED : Outcome.UNEXPECTED_REPLY;
            ByteBuffer c = ByteBuffer.wrap(reply);
            if (c.getInt() != HandshakeDescriptor.MAGIC || c.getShort() != HandshakeDescriptor.VERSION) return Outcome.UNEXPECTED_REPLY;
            short status = c.getShort();
            try {
                if (status == HandshakeDescriptor.STATUS_OK && proof != null) {
                    out.write(proof);
                    out.flush();
                }
                s.shutdownOutput();
                int more = in.read();
                if (more >= 0) return Outcome.UNEXPECTED_REPLY;
            } catch (SocketTimeoutException e) {
                return Outcome.NOT_CLOSED;
            } catch (IOException e) {
                // reset: closed
            }
            return status == HandshakeDescriptor.STATUS_OK ? Outcome.CHALLENGE_OK_THEN_CLOSED : Outcome.CHALLENGE_REFUSED_THEN_CLOSED;
        }
    }

    /** Connects and says nothing; returns how long the rank took to close the connection (ms). */
    private static long silent(int port, CountDownLatch connected) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            connected.countDown();
            s.setSoTimeout(20_000);
            try {
                while (s.getInputStream().read() >= 0) {
                    // the rank must not answer silence; read until it closes
                }
            } catch (IOException e) {
                // reset: closed
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
