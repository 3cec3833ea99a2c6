package io.jmpi.mpj.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * A job in which one rank goes wrong, for the failure tests: {@code FailApp MODE RANK [CODE]}. Every other rank
 * waits for a message from the bad rank that never comes (so without the launcher's help the job would hang).
 * MODE: throw (an exception out of main), exit (System.exit(CODE) with jmpi open), abort (mpi.abort(CODE)),
 * kill (SIGKILL of its own JVM), hang (waits forever too), ok (no failure: every rank says hello and exits normally, with CODE).
 */
public final class FailApp {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int bad = Integer.parseInt(args[1]);
        int code = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            System.out.println("rank " + w.rank() + " job=" + System.getProperty("jmpi.job"));
            w.barrier();
            if (mode.equals("ok")) {
                System.out.println("hello from rank " + w.rank() + " of " + w.size() + " args=" + String.join("|", args));
            } else if (w.rank() == bad) {
                System.out.println("rank " + bad + " going wrong: " + mode);
                System.out.flush();
                switch (mode) {
                    case "throw": throw new IllegalStateException("boom in rank " + bad);
                    case "exit": System.exit(code); break;
                    case "abort": mpi.abort(code); break;
                    case "kill":
                        new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                        Thread.sleep(10_000); // SIGKILL is asynchronous: do not go on before it lands
                        break;
                    case "hang": w.recv(new int[1], (bad + 1) % w.size(), 98); break; // never sent either
                    default: throw new IllegalArgumentException(mode);
                }
            } else {
                w.recv(new int[1], bad, 99); // never sent
            }
        }
        if (mode.equals("ok") && code != 0) System.exit(code);
    }
}
