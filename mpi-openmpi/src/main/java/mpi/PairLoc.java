package mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MINLOC and MAXLOC on Open MPI's pair types. Reductions see the pairs packed (jmpi's wire format, little-endian):
 * the value, then the int index, with no padding; one operand is one packed pair. Among equal values the smaller
 * index wins, as MPI defines.
 */
final class PairLoc {
    private PairLoc() {
    }

    static io.jmpi.Op op(Datatype type, boolean min) {
        io.jmpi.Datatype v = type.pairValue;
        int vs = v.size(), rec = vs + 4;
        return io.jmpi.Op.ofArrays(io.jmpi.Datatype.BYTE, rec, (in, io, inout, ioo, n) -> {
            ByteBuffer a = ByteBuffer.wrap((byte[]) in).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer b = ByteBuffer.wrap((byte[]) inout).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k += rec) {
                int pa = io + k, pb = ioo + k;
                int c = compare(v, a, pa, b, pb);
                int ia = a.getInt(pa + vs), ib = b.getInt(pb + vs);
                boolean takeA = min ? c < 0 : c > 0;
                if (c == 0) takeA = ia < ib;
                if (takeA) System.arraycopy(in, pa, inout, pb, rec);
            }
        }, true);
    }

    private static int compare(io.jmpi.Datatype v, ByteBuffer a, int pa, ByteBuffer b, int pb) {
        if (v == io.jmpi.Datatype.SHORT) return Short.compare(a.getShort(pa), b.getShort(pb));
        if (v == io.jmpi.Datatype.LONG) return Long.compare(a.getLong(pa), b.getLong(pb));
        if (v == io.jmpi.Datatype.FLOAT) return Float.compare(a.getFloat(pa), b.getFloat(pb));
        if (v == io.jmpi.Datatype.DOUBLE) return Double.compare(a.getDouble(pa), b.getDouble(pb));
        return Integer.compare(a.getInt(pa), b.getInt(pb));
    }
}
