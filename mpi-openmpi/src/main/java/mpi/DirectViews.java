package mpi;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes behind the direct typed buffers {@code MPI.newIntBuffer} & co. and their {@code MPI.slice}s. Java gives no
 * public way from an {@code IntBuffer} view to its memory as a {@code ByteBuffer}, and a window ({@link Win}) must
 * expose exactly the user's memory (an RMA put lands there, not in a copy), so the adapter remembers each view it
 * made. Keys are weak and compared by identity ({@code Buffer.equals} compares contents); entries of collected views
 * are dropped on the next registration. Not a hot path: only buffer creation registers.
 */
final class DirectViews {
    private static final ReferenceQueue<Buffer> GONE = new ReferenceQueue<>();
    private static final Map<Key, ByteBuffer> BYTES = new ConcurrentHashMap<>();

    private DirectViews() {
    }

    private static final class Key extends WeakReference<Buffer> {
        private final int hash;

        Key(Buffer b, ReferenceQueue<Buffer> q) {
            super(b, q);
            hash = System.identityHashCode(b);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Key)) return false;
            Buffer mine = get();
            return mine != null && mine == ((Key) o).get();
        }
    }

    /** Remembers that {@code view} is {@code bytes} seen as another primitive type; returns {@code view}. */
    static <T extends Buffer> T register(T view, ByteBuffer bytes) {
        for (Object k; (k = GONE.poll()) != null; ) BYTES.remove(k);
        BYTES.put(new Key(view, GONE), bytes);
        return view;
    }

    /** The bytes of a view made by {@code MPI.newXBuffer}/{@code MPI.slice}, or null. */
    static ByteBuffer bytes(Buffer view) {
        return BYTES.get(new Key(view, null));
    }
}
