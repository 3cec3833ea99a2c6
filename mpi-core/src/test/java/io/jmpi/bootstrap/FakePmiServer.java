package io.jmpi.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PMI-1 server in the test JVM, speaking the wire protocol as Slurm's mpi/pmi2 plugin does: one connection per
 * task, values put before a barrier visible to all after it, answers as Slurm words them. It counts barriers and
 * records every request, so tests can check what clients said.
 */
final class FakePmiServer implements AutoCloseable {
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket server;
    private final int tasks;
    private final Map<String, String> committed = new ConcurrentHashMap<>();
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<OutputStream> waiting = new ArrayList<>();
    volatile int barriers;

    FakePmiServer(int tasks) throws IOException {
        this.tasks = tasks;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "fake-pmi");
        t.setDaemon(true);
        t.start();
    }

    /** A client connected to this server (a task's end of PMI_FD). */
    PmiClient client() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        sockets.add(s);
        return new PmiClient(s.getInputStream(), s.getOutputStream(), "fake PMI");
    }

    private void accept() {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "fake-pmi-task");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                requests.add(line);
                Map<String, String> r = PmiClient.parse(line);
                switch (r.getOrDefault("cmd", "")) {
                    case "init":
                        send(out, "cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1");
                        break;
                    case "get_maxes":
                        send(out, "cmd=maxes rc=0 kvsname_max=256 keylen_max=64 vallen_max=1024");
                        break;
                    case "get_my_kvsname":
                        send(out, "cmd=my_kvsname rc=0 kvsname=42.0");
                        break;
                    case "put":
                        pending.put(r.get("key"), r.get("value"));
                        send(out, "cmd=put_result rc=0");
                        break;
                    case "barrier_in":
                        barrierIn(out);
                        break;
                    case "get": {
                        String v = committed.get(r.get("key"));
                        send(out, v == null ? "cmd=get_result rc=1" : "cmd=get_result rc=0 value=" + v);
                        break;
                    }
                    case "finalize":
                        send(out, "cmd=finalize_ack rc=0");
                        return;
                    case "abort":
                        return;
                    default:
                        send(out, "cmd=error rc=1");
                }
            }
        } catch (IOException e) {
            // the task went away
        }
    }

    private void barrierIn(OutputStream out) throws IOException {
        List<OutputStream> release = null;
        synchronized (waiting) {
            waiting.add(out);
            if (waiting.size() == tasks) {
                committed.putAll(pending);
                pending.clear();
                barriers++;
                release = new ArrayList<>(waiting);
                waiting.clear();
            }
        }
        if (release != null) {
            for (OutputStream o : release) send(o, "cmd=barrier_out rc=0");
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        synchronized (out) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) s.close();
        }
    }
}
