package io.jmpi.mpj;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.launch.MpjProtocol;
import mpi.MPI;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * The class MPJ Express starts for a jmpi program: {@code MpjMain [jmpi64:TOKEN | MAIN args...]}.
 *
 * <p>It calls {@code MPI.Init(args)}, which consumes MPJ Express's leading identity arguments (rank, device
 * configuration, device name) and returns the rest; decodes the program from that rest (see {@link MpjProtocol});
 * selects the MPJ backend ({@code jmpi.backend=mpj}), so the program's own {@code Mpi.init} runs jmpi's engine over
 * MPJ Express; and calls the program's {@code main} with its own arguments, unchanged. A program written against an
 * {@code mpi} API ({@code --api mpijava}; the program then starts with {@link MpjProtocol#API_CLASS_PATH}) is loaded
 * with that API in an {@link ApiClassLoader}, so that its package {@code mpi} is not MPJ Express's.
 *
 * <p>Failure. MPJ Express reports nothing useful when a rank fails ({@code mpjrun} exits 0, and in niodev mode it
 * hangs). So an exception out of the program's {@code main} is printed, followed by one status line for the
 * launcher, and the rank's JVM is halted with exit code 1 (in multicore mode that JVM is the whole job's).
 */
public final class MpjMain {
    /** How long, in multicore mode, a rank still running may take to close when another rank exits the JVM. */
    private static final long EXIT_GRACE_MILLIS = 60_000;

    private MpjMain() {
    }

    public static void main(String[] args) {
        String[] rest;
        int rank;
        try {
            rest = MPI.Init(args);
            rank = MPI.COMM_WORLD.Rank();
        } catch (Throwable e) {
            System.err.println("jmpi: MPJ Express failed to start this rank: " + e);
            e.printStackTrace();
            MpjRuntime.failAndHalt("MPI.Init failed: " + e, 1);
            return;
        }
        String device = args.length > 2 ? args[2] : "";
        MpjRuntime.startedByMain(rank, device, Thread.currentThread());
        System.setProperty("jmpi.backend", "mpj");

        List<String> program = MpjProtocol.decodeProgram(rest);
        if (program.isEmpty() || program.get(0).isEmpty()) {
            MpjRuntime.failAndHalt("no program: usage: MpjMain MAIN [args...] (started by MPJ Express)", 2);
            return;
        }
        ClassLoader loader = MpjMain.class.getClassLoader();
        if (program.size() >= 3 && program.get(0).equals(MpjProtocol.API_CLASS_PATH)) {
            // an mpiJava program: its package mpi is the API's, not the MPJ Express that this loader holds
            loader = new ApiClassLoader(rank, program.get(1), loader);
            program = program.subList(2, program.size());
        }
        // MPJ Express's multicore mode gives each rank its own class loader; ServiceLoader (Mpi.init) must search it
        Thread.currentThread().setContextClassLoader(loader);
        Method main;
        try {
            Class<?> c = Class.forName(program.get(0), true, loader);
            main = c.getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) throw new NoSuchMethodException("main is not static");
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            MpjRuntime.failAndHalt("cannot start " + program.get(0) + ": " + e, 1);
            return;
        }
        Thread hook = new Thread(() -> MpjRuntime.onJvmExit(EXIT_GRACE_MILLIS), "jmpi-mpj-exit-" + rank);
        Runtime.getRuntime().addShutdownHook(hook);
        String[] programArgs = program.subList(1, program.size()).toArray(new String[0]);
        try {
            main.invoke(null, (Object) programArgs);
        } catch (InvocationTargetException e) {
            fail(rank, e.getCause());
        } catch (Throwable e) {
            fail(rank, e);
        }
        MpjRuntime.mainReturned();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting already
        }
        if (MpjRuntime.jmpiInUse()) {
            MpjRuntime.failAndHalt("returned from main without closing jmpi (Mpi.close); its peers would wait for it", 1);
        }
        if (MpjRuntime.closedUncleanly()) {
            // MPI.Finalize would wait for a peer that is not closing: leave it out, the job is failing
            MpjRuntime.failAndHalt("closed jmpi without a goodbye from every peer (see the warning above)", 1);
        }
        if (!MpjRuntime.isFinalized()) {
            try {
                MpjRuntime.finalizeMpj();
            } catch (RuntimeException e) {
                MpjRuntime.failAndHalt(e.getMessage(), 1);
            }
        }
    }

    private static void fail(int rank, Throwable t) {
        System.out.flush();
        System.err.print("Exception in rank " + rank + " (MPJ Express backend): ");
        t.printStackTrace();
        boolean peerGone = t instanceof MpiException m && m.errorClass() == ErrorClass.PROC_FAILED;
        MpjRuntime.failAndHalt(String.valueOf(t), 1, peerGone);
    }
}
