package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/**
 * The access modes of a file open ({@code MPI_MODE_*}, the same bit values as Open MPI's) and MPI's rules for
 * combining them: exactly one of RDONLY, WRONLY, RDWR; no CREATE or EXCL with RDONLY; no SEQUENTIAL with RDWR.
 */
public final class AccessMode {
    public static final int CREATE = 1;
    public static final int RDONLY = 2;
    public static final int WRONLY = 4;
    public static final int RDWR = 8;
    public static final int DELETE_ON_CLOSE = 16;
    public static final int UNIQUE_OPEN = 32;
    public static final int EXCL = 64;
    public static final int APPEND = 128;
    public static final int SEQUENTIAL = 256;
    private static final int ALL = 511;

    private AccessMode() {
    }

    /** Throws an AMODE error naming {@code call} unless {@code amode} is a valid combination. */
    public static void check(String call, int amode) {
        if ((amode & ~ALL) != 0) {
            throw new MpiException(ErrorClass.AMODE, call + ": amode=" + amode + " has unknown bits 0x"
                    + Integer.toHexString(amode & ~ALL) + " (valid: MODE_* flags, together 0x" + Integer.toHexString(ALL) + ")");
        }
        int access = Integer.bitCount(amode & (RDONLY | WRONLY | RDWR));
        if (access != 1) {
            throw new MpiException(ErrorClass.AMODE, call + ": amode=" + describe(amode)
                    + " must contain exactly one of MODE_RDONLY, MODE_WRONLY, MODE_RDWR");
        }
        if ((amode & RDONLY) != 0 && (amode & (CREATE | EXCL)) != 0) {
            throw new MpiException(ErrorClass.AMODE, call + ": amode=" + describe(amode)
                    + ": MODE_RDONLY cannot be combined with MODE_CREATE or MODE_EXCL");
        }
        if ((amode & RDWR) != 0 && (amode & SEQUENTIAL) != 0) {
            throw new MpiException(ErrorClass.AMODE, call + ": amode=" + describe(amode)
                    + ": MODE_RDWR cannot be combined with MODE_SEQUENTIAL");
        }
    }

    public static boolean canRead(int amode) { return (amode & WRONLY) == 0; }
    public static boolean canWrite(int amode) { return (amode & RDONLY) == 0; }

    /** The flags by name, e.g. {@code MODE_RDWR|MODE_CREATE}. */
    public static String describe(int amode) {
        String[] names = {"MODE_CREATE", "MODE_RDONLY", "MODE_WRONLY", "MODE_RDWR", "MODE_DELETE_ON_CLOSE",
                "MODE_UNIQUE_OPEN", "MODE_EXCL", "MODE_APPEND", "MODE_SEQUENTIAL"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((amode & (1 << i)) != 0) b.append(b.length() == 0 ? "" : "|").append(names[i]);
        }
        if ((amode & ~ALL) != 0) b.append(b.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(amode & ~ALL));
        return b.length() == 0 ? "0" : b.toString();
    }
}
