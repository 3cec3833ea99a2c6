package io.jmpi.trace;

/**
 * Where in the user's program an MPI operation was called: the first frame of the calling thread's stack outside
 * jmpi's own packages (and the compatibility APIs' package {@code mpi}), as {@code Class:line}. Walks the stack, so
 * it is asked only when call sites are recorded ({@code jmpirun --profile}).
 */
public final class CallSite {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final java.util.Set<String> LIBRARY = java.util.Set.of("base", "buffer", "wire", "bootstrap",
            "transport", "engine", "runtime", "coll", "trace", "launch", "mpj");

    private CallSite() {
    }

    /** The calling thread's first frame outside jmpi, as {@code Class:line}. */
    public static String find() {
        return WALKER.walk(s -> s.filter(f -> !library(f.getClassName()))
                .findFirst()
                .map(f -> simple(f.getClassName()) + ":" + f.getLineNumber())
                .orElse("?"));
    }

    static boolean library(String cn) {
        if (cn.startsWith("mpi.") || cn.startsWith("java.") || cn.startsWith("jdk.")) return true;
        if (!cn.startsWith("io.jmpi.")) return false;
        String rest = cn.substring("io.jmpi.".length());
        int dot = rest.indexOf('.');
        return dot < 0 || LIBRARY.contains(rest.substring(0, dot));
    }

    private static String simple(String cn) {
        return cn.substring(cn.lastIndexOf('.') + 1);
    }
}
