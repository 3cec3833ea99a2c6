package io.jmpi.bootstrap;

import io.jmpi.Config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Chooses the {@link Bootstrap} of this JVM from its environment: a rank started by jmpirun (which sets
 * {@code JMPI_LAUNCHER}) joins its launcher; any other JVM is a singleton job of size 1.
 */
public final class Bootstraps {
    private Bootstraps() {
    }

    /** The bootstrap for this process's environment. Connects to the launcher when there is one. */
    public static Bootstrap fromEnvironment(Config config) {
        return fromEnvironment(config, System.getenv());
    }

    /** As {@link #fromEnvironment(Config)}, with an explicit environment (tests, embedders). */
    public static Bootstrap fromEnvironment(Config config, Map<String, String> environment) {
        if (environment.get(RankEnvironment.LAUNCHER) != null) {
            return LauncherBootstrap.connect(config, environment);
        }
        return new SingletonBootstrap();
    }

    /**
     * Makes every uncaught exception of this JVM also tell the launcher, before the rank dies, what killed it
     * ({@link Bootstrap#reportFailure}), so jmpirun can print the reason next to the failed rank. The stack trace is
     * still printed, as without a handler; an earlier default handler is kept and called too.
     */
    public static void reportUncaughtExceptions(Bootstrap bootstrap) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            try {
                if (previous != null) {
                    previous.uncaughtException(thread, e);
                } else {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    System.err.print("Exception in thread \"" + thread.getName() + "\" " + trace);
                    System.err.flush();
                }
            } finally {
                bootstrap.reportFailure("uncaught " + e + " in thread \"" + thread.getName() + "\"");
            }
        });
    }
}
