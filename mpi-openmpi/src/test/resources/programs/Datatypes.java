// Derived datatypes through Open MPI's Java API, written for jmpi's side-by-side check (SideBySideIT): a matrix column
// (vector), an indexed selection, a contiguous block, a resized type, and a user Struct of (int, 3 doubles, char)
// sent in a direct ByteBuffer. Rank 0 sends, rank 1 prints what arrived; rank 0 prints extents and sizes.
import mpi.*;
import java.nio.ByteBuffer;
import java.util.Arrays;

class Datatypes {
    /** A particle: id, position, kind; laid out by Struct, as Open MPI's javadoc of Struct shows. */
    static final class Particle extends Struct {
        private final int id = addInt(), pos = addDouble(3), kind = addChar();

        @Override
        protected Data newData() {
            return new Data();
        }

        final class Data extends Struct.Data {
            int id() {
                return getInt(id);
            }

            double pos(int i) {
                return getDouble(pos, i);
            }

            char kind() {
                return getChar(kind);
            }

            void set(int i, double x, double y, double z, char k) {
                putInt(id, i);
                putDouble(pos, 0, x);
                putDouble(pos, 1, y);
                putDouble(pos, 2, z);
                putChar(kind, k);
            }
        }
    }

    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();
        if (size < 2) throw new IllegalStateException("Datatypes needs 2 ranks or more");

        Datatype column = Datatype.createVector(4, 1, 4, MPI.DOUBLE);
        column.commit();
        Datatype picks = Datatype.createIndexed(new int[]{2, 1}, new int[]{0, 5}, MPI.INT);
        picks.commit();
        Datatype triple = Datatype.createContiguous(3, MPI.LONG);
        triple.commit();
        Datatype spaced = Datatype.createResized(MPI.INT, 0, 8);
        spaced.commit();
        Particle particle = new Particle();
        Datatype ptype = particle.getType();

        if (rank == 0) {
            System.out.println("vector extent " + column.getExtent() + " size " + column.getSize());
            System.out.println("indexed extent " + picks.getExtent() + " size " + picks.getSize());
            System.out.println("contiguous extent " + triple.getExtent() + " size " + triple.getSize());
            System.out.println("resized extent " + spaced.getExtent() + " size " + spaced.getSize());

            double[] matrix = new double[16];
            for (int i = 0; i < 16; i++) matrix[i] = i;
            world.send(MPI.slice(matrix, 2), 1, column, 1, 1);
            int[] ints = {10, 11, 12, 13, 14, 15, 16, 17};
            world.send(ints, 1, picks, 1, 2);
            world.send(new long[]{-1, -2, -3, -4, -5, -6}, 2, triple, 1, 3);
            world.send(new int[]{1, 2, 3, 4, 5, 6}, 3, spaced, 1, 4);
            ByteBuffer ps = MPI.newByteBuffer(particle.getExtent() * 3);
            for (int i = 0; i < 3; i++) {
                Particle.Data p = particle.getData(ps, i);
                p.set(i, i + 0.5, i * 2.0, -i, (char) ('a' + i));
            }
            world.send(ps, 3, ptype, 1, 5);
        } else if (rank == 1) {
            double[] col = new double[4];
            Status s = world.recv(col, 4, MPI.DOUBLE, 0, 1);
            System.out.println("column " + Arrays.toString(col) + " count " + s.getCount(MPI.DOUBLE));
            int[] got = new int[3];
            s = world.recv(got, 3, MPI.INT, 0, 2);
            System.out.println("indexed " + Arrays.toString(got) + " count " + s.getCount(MPI.INT));
            long[] longs = new long[6];
            s = world.recv(longs, 2, triple, 0, 3);
            System.out.println("contiguous " + Arrays.toString(longs) + " count " + s.getCount(triple)
                    + " elements " + s.getElements(MPI.LONG));
            int[] every = new int[3];
            world.recv(every, 3, MPI.INT, 0, 4);
            System.out.println("resized " + Arrays.toString(every));
            ByteBuffer ps = MPI.newByteBuffer(particle.getExtent() * 3);
            s = world.recv(ps, 3, ptype, 0, 5);
            for (int i = 0; i < 3; i++) {
                Particle.Data p = particle.getData(ps, i);
                System.out.println("particle " + p.id() + " (" + p.pos(0) + ", " + p.pos(1) + ", " + p.pos(2) + ") "
                        + p.kind());
            }
            System.out.println("particles " + s.getCount(ptype));
        }
        column.free();
        picks.free();
        triple.free();
        spaced.free();
        MPI.Finalize();
    }
}
