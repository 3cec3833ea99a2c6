package io.jmpi.launch.testapps;

import io.jmpi.base.Config;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Bootstraps;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.bootstrap.HostIdentity;

/**
 * A tiny rank for the launcher's integration tests. It uses only the bootstrap (not the engine): joins the job,
 * exchanges endpoints, prints {@code ready R of N}, then behaves as its arguments say (a failing rank first prints
 * {@code failing at <epoch millis>}):
 * <pre>
 *   ok                     print a line on stdout and stderr, close, exit 0
 *   sleep                  sleep forever
 *   exit  RANK CODE        rank RANK exits with CODE (without close); the others sleep forever
 *   throw RANK             rank RANK dies of an uncaught exception (reported to the launcher); the others sleep
 *   abort RANK CODE        rank RANK calls abort(CODE); the others sleep
 * </pre>
 */
public final class ExchangeApp {
    private ExchangeApp() {
    }

    public static void main(String[] args) throws Exception {
        Bootstrap b = Bootstraps.fromEnvironment(Config.fromEnvironment());
        Bootstraps.reportUncaughtExceptions(b);
        int rank = b.rank();
        Endpoint[] table = b.exchange(new Endpoint(rank, b.advertiseAddress().getHostAddress(), 0,
                HostIdentity.hostId(), ProcessHandle.current().pid()));
        if (table.length != b.size()) throw new IllegalStateException("table has " + table.length + " entries");
        System.out.println("ready " + rank + " of " + b.size());
        String mode = args.length > 0 ? args[0] : "ok";
        boolean me = args.length > 1 && Integer.parseInt(args[1]) == rank;
        switch (mode) {
            case "ok":
                System.out.println("hello from rank " + rank + " on " + table[rank].host());
                System.err.println("stderr of rank " + rank);
                b.close();
                return;
            case "exit":
                if (me) {
                    failing();
                    System.exit(Integer.parseInt(args[2]));
                }
                break;
            case "throw":
                if (me) {
                    failing();
                    throw new IllegalStateException("boom from rank " + rank);
                }
                break;
            case "abort":
                if (me) {
                    failing();
                    b.abort(Integer.parseInt(args[2]), "rank " + rank + " gives up");
                }
                break;
            default:
                break;
        }
        Thread.sleep(Long.MAX_VALUE); // under test: the launcher must end the ranks that did not fail
    }

    /** Tells the test when this rank fails, so it can measure how long the launcher takes to end the job. */
    private static void failing() {
        System.out.println("failing at " + System.currentTimeMillis());
        System.out.flush();
    }
}
