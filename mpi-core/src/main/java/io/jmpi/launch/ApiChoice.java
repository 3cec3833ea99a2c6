package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.PrintStream;

/**
 * Decides a job's {@code mpi} API from {@code --api} and what {@link ApiInspection} found in the program, before any
 * rank starts:
 * <ul>
 *   <li>no {@code --api}: the API the program's references belong to, else jmpi's own (the program may bring its own
 *   package {@code mpi}, then that one is used);</li>
 *   <li>{@code --api} that contradicts the program: {@link ExitCodes#WRONG_API} with the API it needs, instead of a
 *   {@code NoSuchMethodError} from every rank.</li>
 * </ul>
 * {@code --verbose} prints the reasoning.
 */
final class ApiChoice {
    /** The program and the chosen API do not fit; jmpirun exits with {@link ExitCodes#WRONG_API}. */
    static final class Mismatch extends MpiException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(ErrorClass.ARG, message);
        }
    }

    private ApiChoice() {
    }

    /**
     * @param requested {@code --api}, null when not given
     * @param finding   what the program's class files say
     * @param main      the main class as the user named it, for messages
     * @param verbose   where {@code --verbose} prints, or null
     */
    static MpiApi choose(MpiApi requested, ApiInspection.Finding finding, String main, PrintStream verbose) {
        String who = simpleName(main);
        if (!finding.inspected()) {
            MpiApi api = requested == null ? MpiApi.NATIVE : requested;
            say(verbose, "cannot read " + main + "'s class file on the program's class path, so its API is not checked; "
                    + "--api " + api.option() + (requested == null ? " (the default)" : ""));
            return api;
        }
        if (finding.ownMpi() && (requested == null || requested == MpiApi.NATIVE)) {
            // e.g. MPJ Express's mpj.jar on -cp: the user chose that mpi package deliberately; jmpi adds none
            say(verbose, "the program's class path has its own package mpi (mpi/MPI.class); --api native: jmpi adds "
                    + "no mpi API");
            return MpiApi.NATIVE;
        }
        if (finding.conflict() != null) {
            if (requested != null && requested != MpiApi.NATIVE) {
                say(verbose, who + " uses names of both mpi APIs (" + finding.conflict() + "); --api "
                        + requested.option() + " as given");
                return requested;
            }
            throw new Mismatch(who + " uses names of both mpi APIs (" + finding.conflict() + "); run with --api mpijava "
                    + "or --api openmpi");
        }
        if (finding.api() != null) {
            String uses = who + " uses " + finding.api().description() + " (" + finding.evidence() + ")";
            if (requested == null) {
                say(verbose, uses + ": running with --api " + finding.api().option());
                return finding.api();
            }
            if (requested != finding.api()) throw new Mismatch(uses + "; run with --api " + finding.api().option());
            say(verbose, uses + ": --api " + requested.option() + " fits");
            if (finding.ownMpi()) {
                say(verbose, "the program's class path also has a package mpi; jmpi's " + requested.module()
                        + " comes first");
            }
            return requested;
        }
        if (finding.usesMpi() && (requested == null || requested == MpiApi.NATIVE)) {
            throw new Mismatch(who + " uses package mpi, but only calls that both mpi APIs have; run with --api mpijava "
                    + "(mpiJava 1.2, MPJ Express) or --api openmpi (Open MPI's Java API)");
        }
        MpiApi api = requested == null ? MpiApi.NATIVE : requested;
        say(verbose, who + (finding.usesMpi() ? " uses package mpi" : " does not use package mpi") + "; --api "
                + api.option() + (requested == null ? " (the default)" : ""));
        return api;
    }

    private static String simpleName(String main) {
        return main.substring(main.lastIndexOf('.') + 1);
    }

    private static void say(PrintStream verbose, String message) {
        if (verbose != null) verbose.println("jmpirun: " + message);
    }
}
