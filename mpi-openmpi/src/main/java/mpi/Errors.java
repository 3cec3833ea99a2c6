package mpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/** Maps jmpi's error classes to Open MPI's {@code MPI.ERR_*} values and runs native calls under that mapping. */
final class Errors {
    private Errors() {
    }

    /** A native call that may throw jmpi's unchecked exception. */
    interface Call<T> {
        T run();
    }

    static <T> T run(Call<T> c) throws MPIException {
        try {
            return c.run();
        } catch (MpiException e) {
            throw new MPIException(e);
        }
    }

    static int classOf(MpiException e) {
        ErrorClass c = e.errorClass();
        switch (c.name()) {
            case "BUFFER": return MPI.ERR_BUFFER;
            case "COUNT": return MPI.ERR_COUNT;
            case "TYPE": return MPI.ERR_TYPE;
            case "TAG": return MPI.ERR_TAG;
            case "COMM": return MPI.ERR_COMM;
            case "RANK": return MPI.ERR_RANK;
            case "REQUEST": return MPI.ERR_REQUEST;
            case "ROOT": return MPI.ERR_ROOT;
            case "GROUP": return MPI.ERR_GROUP;
            case "OP": return MPI.ERR_OP;
            case "TOPOLOGY": return MPI.ERR_TOPOLOGY;
            case "DIMS": return MPI.ERR_DIMS;
            case "ARG": return MPI.ERR_ARG;
            case "TRUNCATE": return MPI.ERR_TRUNCATE;
            case "INTERN": return MPI.ERR_INTERN;
            case "PENDING": return MPI.ERR_PENDING;
            case "KEYVAL": return MPI.ERR_KEYVAL;
            case "INFO_KEY": return MPI.ERR_INFO_KEY;
            case "INFO_VALUE": return MPI.ERR_INFO_VALUE;
            case "INFO_NOKEY": return MPI.ERR_INFO_NOKEY;
            default: return MPI.ERR_OTHER;
        }
    }

    /** An argument error naming the call, the argument and its value. */
    static MPIException arg(String message) {
        return new MPIException(message, MPI.ERR_ARG, null);
    }
}
