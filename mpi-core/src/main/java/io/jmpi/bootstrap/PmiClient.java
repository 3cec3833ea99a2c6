package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A client of the PMI-1 wire protocol ("simple PMI"), spoken by Slurm's {@code srun --mpi=pmi2} plugin and by
 * MPICH's Hydra over the socket whose number is in {@code PMI_FD}. Each request is one line of space-separated
 * {@code key=value} words, answered by one line:
 *
 * <pre>
 *  cmd=init pmi_version=1 pmi_subversion=1     -&gt; cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1
 *  cmd=get_maxes                               -&gt; cmd=maxes rc=0 kvsname_max=K keylen_max=L vallen_max=V
 *  cmd=get_my_kvsname                          -&gt; cmd=my_kvsname rc=0 kvsname=NAME
 *  cmd=put kvsname=NAME key=K value=V          -&gt; cmd=put_result rc=0
 *  cmd=barrier_in                              -&gt; cmd=barrier_out        (once every task of the job is in)
 *  cmd=get kvsname=NAME key=K                  -&gt; cmd=get_result rc=0 value=V   (rc != 0: no such key)
 *  cmd=finalize                                -&gt; cmd=finalize_ack
 *  cmd=abort                                   (no answer: the resource manager kills the job step)
 * </pre>
 * Values put before a barrier are visible to every task after it. Keys and values must not contain spaces,
 * {@code =} or newlines, and each request must be written in one piece (Slurm's server reads one request per
 * {@code read(2)} of at most 1024 bytes); requests are never pipelined.
 *
 * <p>The client is not thread-safe; {@link PmiBootstrap} uses it from one thread at a time.
 */
public final class PmiClient implements AutoCloseable {
    /** Longest answer line accepted. */
    static final int MAX_LINE = 64 * 1024;
    /** Longest request Slurm's server reads in one piece. */
    static final int MAX_REQUEST = 1024;

    /** Limits the server announced ({@code get_maxes}). */
    public record Maxes(int kvsNameMax, int keyMax, int valueMax) {
    }

    private final InputStream in;
    private final OutputStream out;
    private final String where;

    /**
     * @param where how error messages name the server, e.g. {@code PMI_FD=5}
     */
    public PmiClient(InputStream in, OutputStream out, String where) {
        this.in = in;
        this.out = out;
        this.where = where;
    }

    /** {@code PMI_Init}: negotiates PMI version 1.1. */
    public void init() {
        Map<String, String> r = call("cmd=init pmi_version=1 pmi_subversion=1", "response_to_init");
        if (!"1".equals(r.get("pmi_version"))) {
            throw fail("init", "the server offers PMI version " + r.get("pmi_version") + "." + r.get("pmi_subversion")
                    + ", not 1.1");
        }
    }

    /** {@code PMI_KVS_Get_*_length_max}. */
    public Maxes maxes() {
        Map<String, String> r = call("cmd=get_maxes", "maxes");
        return new Maxes(intOf(r, "kvsname_max", "get_maxes"), intOf(r, "keylen_max", "get_maxes"),
                intOf(r, "vallen_max", "get_maxes"));
    }

    /** {@code PMI_KVS_Get_my_name}: the job's key-value space. */
    public String kvsName() {
        String name = call("cmd=get_my_kvsname", "my_kvsname").get("kvsname");
        if (name == null || name.isEmpty()) throw fail("get_my_kvsname", "no kvsname in the answer");
        return name;
    }

    /** {@code PMI_KVS_Put}: visible to all tasks after the next {@link #barrier()}. */
    public void put(String kvs, String key, String value) {
        checkWord("key", key);
        checkWord("value", value);
        call("cmd=put kvsname=" + kvs + " key=" + key + " value=" + value, "put_result");
    }

    /** {@code PMI_KVS_Commit} + {@code PMI_Barrier}: returns once every task of the job has entered. */
    public void barrier() {
        call("cmd=barrier_in", "barrier_out");
    }

    /** {@code PMI_KVS_Get}; null when the key does not exist. */
    public String get(String kvs, String key) {
        checkWord("key", key);
        Map<String, String> r = call("cmd=get kvsname=" + kvs + " key=" + key, "get_result", false);
        if (!"0".equals(r.getOrDefault("rc", "0"))) return null;
        String v = r.get("value");
        if (v == null) throw fail("get", "no value in the answer for key " + key);
        return v;
    }

    /** {@code PMI_Finalize}: this task is done with PMI. */
    public void finalizeJob() {
        call("cmd=finalize", "finalize_ack");
    }

    /** {@code PMI_Abort}: asks the resource manager to end the job. No answer is awaited. */
    public void abort(int code, String message) {
        String text = message == null ? "" : message.replaceAll("[\\s=]+", "_");
        if (text.length() > 200) text = text.substring(0, 200);
        try {
            send("cmd=abort exitcode=" + code + (text.isEmpty() ? "" : " error_msg=" + text));
        } catch (IOException e) {
            // the job ends anyway
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private Map<String, String> call(String request, String expected) {
        return call(request, expected, true);
    }

    /** Sends one request and reads its answer; checks the answer's command and, if {@code checkRc}, rc=0. */
    private Map<String, String> call(String request, String expected, boolean checkRc) {
        String cmd = request.substring(4, request.indexOf(' ') < 0 ? request.length() : request.indexOf(' '));
        String line;
        try {
            send(request);
            line = readLine();
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "pmi: " + cmd + " over " + where + " failed: " + e.getMessage(), e);
        }
        if (line == null) {
            throw new MpiException(ErrorClass.PROC_FAILED, "pmi: " + cmd + ": the PMI server (" + where
                    + ") closed the connection");
        }
        Map<String, String> r = parse(line);
        if (!expected.equals(r.get("cmd"))) {
            throw fail(cmd, "expected cmd=" + expected + ", got '" + abbreviate(line) + "'");
        }
        if (checkRc && r.containsKey("rc") && !"0".equals(r.get("rc"))) {
            String msg = r.getOrDefault("msg", r.getOrDefault("error_msg", ""));
            throw fail(cmd, "rc=" + r.get("rc") + (msg.isEmpty() ? "" : " (" + msg + ")"));
        }
        return r;
    }

    private void send(String request) throws IOException {
        byte[] b = (request + "\n").getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_REQUEST) {
            throw new MpiException(ErrorClass.ARG, "pmi: request longer than " + MAX_REQUEST + " bytes: "
                    + abbreviate(request));
        }
        out.write(b); // one write: the server reads one request per read(2)
        out.flush();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= MAX_LINE) throw new IOException("answer longer than " + MAX_LINE + " bytes");
            line.write(b);
        }
    }

    /** {@code key=value} words of one line; a word without {@code =} is ignored. */
    static Map<String, String> parse(String line) {
        Map<String, String> m = new HashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) m.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return m;
    }

    private int intOf(Map<String, String> r, String key, String cmd) {
        try {
            return Integer.parseInt(r.get(key));
        } catch (NumberFormatException e) {
            throw fail(cmd, key + "=" + r.get(key) + " is not a number");
        }
    }

    private static void checkWord(String what, String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> c == ' ' || c == '=' || c == '\n' || c == '\t' || c == '\r')) {
            throw new MpiException(ErrorClass.ARG, "pmi: " + what + " '" + text
                    + "' must be non-empty, without spaces, '=' or newlines");
        }
    }

    private MpiException fail(String cmd, String why) {
        return new MpiException(ErrorClass.PROTOCOL, "pmi: " + cmd + " over " + where + ": " + why);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
