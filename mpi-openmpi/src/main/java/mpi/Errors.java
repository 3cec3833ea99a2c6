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
            // MPI-IO (issue 18)
            case "FILE": return MPI.ERR_FILE;
            case "NOT_SAME": return MPI.ERR_NOT_SAME;
            case "AMODE": return MPI.ERR_AMODE;
            case "UNSUPPORTED_DATAREP": return MPI.ERR_UNSUPPORTED_DATAREP;
            case "UNSUPPORTED_OPERATION": return MPI.ERR_UNSUPPORTED_OPERATION;
            case "NO_SUCH_FILE": return MPI.ERR_NO_SUCH_FILE;
            case "FILE_EXISTS": return MPI.ERR_FILE_EXISTS;
            case "BAD_FILE": return MPI.ERR_BAD_FILE;
            case "ACCESS": return MPI.ERR_ACCESS;
            case "NO_SPACE": return MPI.ERR_NO_SPACE;
            case "READ_ONLY": return MPI.ERR_READ_ONLY;
            case "FILE_IN_USE": return MPI.ERR_FILE_IN_USE;
            default: return MPI.ERR_OTHER;
        }
    }

    /** An argument error naming the call, the argument and its value. */
    static MPIException arg(String message) {
        return new MPIException(message, MPI.ERR_ARG, null);
    }
}
