package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.util.Locale;

/**
 * The programming interfaces a jmpi job can be written against ({@code jmpirun --api}). jmpi's own API
 * ({@code io.jmpi}) is always on a rank's class path; the two {@code mpi}-package APIs each live in a module of their
 * own, because both define package {@code mpi} and so can never share a class path.
 */
enum MpiApi {
    /** jmpi's own API, package {@code io.jmpi} (in mpi-core). */
    NATIVE("native", null, "jmpi's own API (io.jmpi)"),
    /** mpiJava 1.2 as MPJ Express defines it: {@code MPI.COMM_WORLD.Rank()}, {@code Send}, checked MPIException. */
    MPIJAVA("mpijava", "mpi-mpijava", "the mpiJava 1.2 API"),
    /** Open MPI's Java bindings: {@code MPI.COMM_WORLD.getRank()}, {@code send}. */
    OPENMPI("openmpi", "mpi-openmpi", "the Open MPI Java API");

    private final String option;
    private final String module;
    private final String description;

    MpiApi(String option, String module, String description) {
        this.option = option;
        this.module = module;
        this.description = description;
    }

    /** The value of {@code --api} that selects it. */
    String option() {
        return option;
    }

    /** The Maven module (and jar name prefix) holding its package {@code mpi}; null for the native API. */
    String module() {
        return module;
    }

    /** How messages name it: "the mpiJava 1.2 API". */
    String description() {
        return description;
    }

    /** Parses {@code --api}; null stays null (not given: chosen by inspecting the program). */
    static MpiApi parse(String value) {
        if (value == null) return null;
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (MpiApi a : values()) {
            if (a.option.equals(v)) return a;
        }
        throw new MpiException(ErrorClass.ARG, "--api=" + value + " is not valid; allowed native, mpijava, openmpi");
    }
}
