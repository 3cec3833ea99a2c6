package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/**
 * A file view ({@code MPI_File_set_view}) flattened: the file is tiled from byte {@code disp} with copies of the
 * filetype, each {@code extent} bytes after the previous one, and the data of an access fills the filetype's runs in
 * order. A position in the view counts bytes of data (etypes times the etype's size); {@link #map} turns a range of
 * them into file segments. Runs are in bytes, relative to a tile's start, non-negative, increasing and not overlapping
 * (MPI: monotonically non-decreasing displacements), and end within the extent, so tiles never overlap either.
 */
public final class FileView {
    /** The view every file starts with: displacement 0, etype and filetype bytes. */
    public static final FileView BYTES = new FileView(0, 1, new long[]{0}, new long[]{1}, 1, "BYTE", "BYTE");

    private final long disp;
    private final int etypeSize;
    private final long[] runOff;
    private final long[] runLen;
    /** Data bytes before each run within one tile; {@code packed[runs]} is the tile's data size. */
    private final long[] packed;
    private final long extent;
    private final boolean contiguous;
    private final String etypeName;
    private final String filetypeName;

    /**
     * @param disp      displacement in bytes, {@code >= 0}
     * @param etypeSize bytes of one etype, {@code > 0}
     * @param runOff    byte offsets of the filetype's runs in one tile; {@code runLen} their lengths ({@code > 0})
     * @param extent    bytes from one tile to the next
     */
    public FileView(long disp, int etypeSize, long[] runOff, long[] runLen, long extent, String etypeName, String filetypeName) {
        String call = "setView";
        if (disp < 0) throw new MpiException(ErrorClass.ARG, call + ": disp=" + disp + " out of range [0, " + Long.MAX_VALUE + "]");
        if (etypeSize <= 0) throw new MpiException(ErrorClass.TYPE, call + ": etype " + etypeName + " has size " + etypeSize + ", needs at least 1 byte");
        this.disp = disp;
        this.etypeSize = etypeSize;
        this.runOff = runOff.clone();
        this.runLen = runLen.clone();
        this.packed = new long[runOff.length + 1];
        this.extent = extent;
        this.etypeName = etypeName;
        this.filetypeName = filetypeName;
        long end = 0;
        for (int i = 0; i < runOff.length; i++) {
            if (runOff[i] < end) {
                throw new MpiException(ErrorClass.TYPE, call + ": filetype " + filetypeName + " has a run at byte " + runOff[i]
                        + (i == 0 ? " below 0" : " before the end " + end + " of the previous one")
                        + ": MPI requires non-negative, non-decreasing, non-overlapping displacements in a filetype");
            }
            end = runOff[i] + runLen[i];
            packed[i + 1] = packed[i] + runLen[i];
        }
        long size = packed[runOff.length];
        if (size == 0) throw new MpiException(ErrorClass.TYPE, call + ": filetype " + filetypeName + " holds no data");
        if (end > extent) {
            throw new MpiException(ErrorClass.TYPE, call + ": filetype " + filetypeName + " reaches byte " + end
                    + " beyond its extent " + extent + ": its tiles would overlap");
        }
        if (size % etypeSize != 0) {
            throw new MpiException(ErrorClass.TYPE, call + ": filetype " + filetypeName + " holds " + size
                    + " bytes, not a whole number of etypes " + etypeName + " (" + etypeSize + " bytes)");
        }
        for (int i = 0; i < runOff.length; i++) {
            if (runOff[i] % etypeSize != 0 || runLen[i] % etypeSize != 0) {
                throw new MpiException(ErrorClass.TYPE, call + ": filetype " + filetypeName + " has a run of " + runLen[i]
                        + " bytes at byte " + runOff[i] + ", not made of whole etypes " + etypeName + " (" + etypeSize + " bytes)");
            }
        }
        this.contiguous = runOff.length == 1 && runOff[0] == 0 && runLen[0] == extent;
    }

    public long disp() { return disp; }
    public int etypeSize() { return etypeSize; }
    public long extent() { return extent; }
    /** Data bytes in one tile (the filetype's size). */
    public long tileSize() { return packed[runOff.length]; }
    public boolean contiguous() { return contiguous; }
    public String etypeName() { return etypeName; }
    public String filetypeName() { return filetypeName; }

    /** Appends to {@code out} the file segments of the data bytes {@code [pos, pos + n)} of this view. */
    public void map(long pos, long n, Segments out) {
        if (n <= 0) return;
        if (contiguous) {
            out.add(disp + pos, n);
            return;
        }
        long size = tileSize();
        long tile = pos / size, within = pos % size;
        int run = runAt(within);
        long left = n;
        while (left > 0) {
            long into = within - packed[run];
            long take = Math.min(runLen[run] - into, left);
            out.add(disp + tile * extent + runOff[run] + into, take);
            left -= take;
            within += take;
            if (++run == runOff.length) {
                run = 0;
                within = 0;
                tile++;
            }
        }
    }

    /** The absolute byte offset of data byte {@code pos} of the view ({@code MPI_File_get_byte_offset}). */
    public long byteOffset(long pos) {
        if (contiguous) return disp + pos;
        long size = tileSize();
        long tile = pos / size, within = pos % size;
        int run = runAt(within);
        return disp + tile * extent + runOff[run] + (within - packed[run]);
    }

    /** Data bytes of the view that lie below file byte {@code fileSize} (where the view's end of file is). */
    public long dataBelow(long fileSize) {
        if (fileSize <= disp) return 0;
        long rel = fileSize - disp;
        long size = tileSize();
        long tiles = rel / extent, rest = rel % extent;
        long n = tiles * size;
        for (int i = 0; i < runOff.length && runOff[i] < rest; i++) n += Math.min(runLen[i], rest - runOff[i]);
        return n;
    }

    private int runAt(long within) {
        int a = 0, b = runOff.length - 1;
        while (a < b) {
            int m = (a + b + 1) >>> 1;
            if (packed[m] <= within) a = m;
            else b = m - 1;
        }
        return a;
    }
}
