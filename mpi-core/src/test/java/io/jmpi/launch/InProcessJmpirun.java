package io.jmpi.launch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** jmpirun called in this JVM with its output captured: how the launcher tests run it. */
final class InProcessJmpirun {
    private InProcessJmpirun() {
    }

    /** The exit code and everything jmpirun printed. */
    record Result(int code, String out, String err) {
        String firstErrorLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    /** Runs jmpirun with {@code args} in this process's environment. */
    static Result run(String... args) {
        return capture((out, err) -> JmpiRun.run(args, out, err));
    }

    /** Runs jmpirun with {@code args} in the environment {@code env} (a Slurm allocation, say). */
    static Result runWith(Map<String, String> env, String... args) {
        return capture((out, err) -> JmpiRun.run(args, out, err, env));
    }

    private interface Launch {
        int run(PrintStream out, PrintStream err);
    }

    private static Result capture(Launch launch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = launch.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
