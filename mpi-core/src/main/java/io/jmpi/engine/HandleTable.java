package io.jmpi.engine;

/**
 * Maps 64-bit handles carried in frames (RTS, CTS, DATA) to live operations without allocating: a slot index in
 * the low 32 bits and a generation in the high 32 bits, so a stale or forged handle from the wire finds nothing.
 */
final class HandleTable<T> {
    private Object[] items = new Object[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    long add(T item) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == items.length) grow();
            slot = used++;
        }
        items[slot] = item;
        return ((long) generations[slot] << 32) | slot;
    }

    @SuppressWarnings("unchecked")
    T get(long handle) {
        int slot = (int) handle;
        if (slot < 0 || slot >= used || generations[slot] != (int) (handle >>> 32)) return null;
        return (T) items[slot];
    }

    @SuppressWarnings("unchecked")
    T remove(long handle) {
        T item = get(handle);
        if (item == null) return null;
        int slot = (int) handle;
        items[slot] = null;
        generations[slot]++;
        if (freeCount == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
        free[freeCount++] = slot;
        return item;
    }

    /** Live items, for diagnosis and failure handling. */
    java.util.List<T> live() {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (int i = 0; i < used; i++) {
            @SuppressWarnings("unchecked") T t = (T) items[i];
            if (t != null) out.add(t);
        }
        return out;
    }

    private void grow() {
        int n = items.length * 2;
        items = java.util.Arrays.copyOf(items, n);
        generations = java.util.Arrays.copyOf(generations, n);
    }
}
